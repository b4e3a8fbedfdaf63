//! The failure report: the first failed resource of an operation, its reason, and the
//! line of the stack's source that declared it.

use super::Deployable;
use super::events::ResourceEvent;

/// The first failure of an operation, its reason and the source line of its resource.
pub(crate) fn failure_report(
    stack: &str,
    status: &str,
    events: &[ResourceEvent],
    deployable: Option<&Deployable>,
) -> String {
    let cancelled = |e: &&ResourceEvent| {
        e.reason
            .as_deref()
            .is_some_and(|r| r.contains("cancelled") || r.contains("canceled"))
    };
    let first = events
        .iter()
        .filter(|e| e.is_failure() && e.logical_id != stack)
        .find(|e| !cancelled(e))
        .or_else(|| events.iter().find(|e| e.is_failure()));
    match first {
        Some(event) => {
            let source = deployable
                .and_then(|d| d.source(&event.logical_id))
                .map(|s| format!(", declared at {s}"))
                .unwrap_or_default();
            format!(
                "stack {stack} ended in {status}: {} ({}{source}) {}: {}",
                event.logical_id,
                event.resource_type,
                event.status,
                event
                    .reason
                    .as_deref()
                    .unwrap_or("no reason given")
                    .trim_end_matches('.'),
            )
        }
        None => format!("stack {stack} ended in {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, status: &str, reason: Option<&str>) -> ResourceEvent {
        ResourceEvent {
            logical_id: id.to_owned(),
            resource_type: "AWS::EC2::Subnet".to_owned(),
            status: status.to_owned(),
            reason: reason.map(str::to_owned),
            timestamp: String::new(),
        }
    }

    #[test]
    fn the_report_names_the_first_real_failure() {
        let events = [
            event("A", "CREATE_IN_PROGRESS", None),
            event("B", "CREATE_FAILED", Some("Resource creation cancelled")),
            event(
                "C",
                "CREATE_FAILED",
                Some("The CIDR '10.9.0.0/24' is invalid"),
            ),
            event("S", "ROLLBACK_IN_PROGRESS", None),
        ];
        let report = failure_report("S", "ROLLBACK_COMPLETE", &events, None);
        assert_eq!(
            report,
            "stack S ended in ROLLBACK_COMPLETE: C (AWS::EC2::Subnet) CREATE_FAILED: The CIDR '10.9.0.0/24' is invalid"
        );
    }
}
