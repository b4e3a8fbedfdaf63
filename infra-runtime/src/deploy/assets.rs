//! Code assets on their way to the stack: the bucket they go to (the output of the
//! bootstrap stack, or one the user names) and the upload of the ones it lacks.

use std::future::Future;

use super::engine::{Engine, interrupted_already};
use super::error::DeployError;
use crate::asset::{Asset, BUCKET_OUTPUT};

/// What an upload did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Uploaded {
    /// Assets sent.
    pub sent: usize,
    /// Assets the bucket already held (the same content, by its hash).
    pub present: usize,
    /// Bytes sent.
    pub bytes: usize,
}

impl Engine {
    /// The asset bucket the bootstrap stack of this engine's account and region made;
    /// `None` when there is no bootstrap stack (or it has no such output).
    pub async fn asset_bucket(&self) -> Result<Option<String>, DeployError> {
        if self.state().await? == super::StackState::Missing {
            return Ok(None);
        }
        Ok(self.outputs().await?.remove(BUCKET_OUTPUT))
    }

    /// Uploads every asset `bucket` lacks under its key (`assets/<sha256>.zip`); one
    /// already there is the same content and is left alone. Stops between uploads when
    /// `cancel` fires.
    pub async fn upload_assets(
        &self,
        bucket: &str,
        assets: &[Asset],
        cancel: impl Future<Output = ()>,
    ) -> Result<Uploaded, DeployError> {
        let mut cancel = std::pin::pin!(cancel);
        let mut done = Uploaded::default();
        for asset in assets {
            if interrupted_already(&mut cancel).await {
                return Err(DeployError::Interrupted(format!(
                    "{} of {} assets were uploaded, and nothing was deployed",
                    done.sent,
                    assets.len()
                )));
            }
            if self.objects.holds(bucket, &asset.key()).await? {
                done.present += 1;
                continue;
            }
            self.objects
                .put(bucket, &asset.key(), asset.bytes(), "application/zip")
                .await?;
            done.sent += 1;
            done.bytes += asset.bytes().len();
        }
        Ok(done)
    }
}
