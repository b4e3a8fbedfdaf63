//! A stack's status, as CloudFormation names it.

macro_rules! statuses {
    ($($variant:ident = $name:literal,)*) => {
        /// A stack's status (`CREATE_COMPLETE`, `UPDATE_ROLLBACK_FAILED`, …); one
        /// CloudFormation adds after this list is kept by its name.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum StackStatus {
            $(
                #[doc = concat!("`", $name, "`")]
                $variant,
            )*
            /// A status this list does not have.
            Unknown(String),
        }

        impl StackStatus {
            /// Its name, as CloudFormation writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $name,)*
                    Self::Unknown(name) => name,
                }
            }
        }

        impl From<&str> for StackStatus {
            fn from(name: &str) -> Self {
                match name {
                    $($name => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    };
}

statuses! {
    CreateComplete = "CREATE_COMPLETE",
    CreateFailed = "CREATE_FAILED",
    CreateInProgress = "CREATE_IN_PROGRESS",
    DeleteComplete = "DELETE_COMPLETE",
    DeleteFailed = "DELETE_FAILED",
    DeleteInProgress = "DELETE_IN_PROGRESS",
    ImportComplete = "IMPORT_COMPLETE",
    ImportInProgress = "IMPORT_IN_PROGRESS",
    ImportRollbackComplete = "IMPORT_ROLLBACK_COMPLETE",
    ImportRollbackFailed = "IMPORT_ROLLBACK_FAILED",
    ImportRollbackInProgress = "IMPORT_ROLLBACK_IN_PROGRESS",
    ReviewInProgress = "REVIEW_IN_PROGRESS",
    RollbackComplete = "ROLLBACK_COMPLETE",
    RollbackFailed = "ROLLBACK_FAILED",
    RollbackInProgress = "ROLLBACK_IN_PROGRESS",
    UpdateComplete = "UPDATE_COMPLETE",
    UpdateCompleteCleanupInProgress = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
    UpdateFailed = "UPDATE_FAILED",
    UpdateInProgress = "UPDATE_IN_PROGRESS",
    UpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE",
    UpdateRollbackCompleteCleanupInProgress = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
    UpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED",
    UpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS",
}

impl std::fmt::Display for StackStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::StackStatus;

    #[test]
    fn a_status_reads_back_to_its_name_and_an_unknown_one_is_kept() {
        for name in [
            "CREATE_COMPLETE",
            "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        ] {
            assert_eq!(StackStatus::from(name).as_str(), name);
        }
        assert_eq!(
            StackStatus::from("UPDATE_ROLLBACK_FAILED"),
            StackStatus::UpdateRollbackFailed
        );
        let later = StackStatus::from("PAUSED_FOR_REVIEW");
        assert_eq!(later, StackStatus::Unknown("PAUSED_FOR_REVIEW".into()));
        assert_eq!(later.to_string(), "PAUSED_FOR_REVIEW");
    }
}
