//! SIGINT, SIGTERM and SIGHUP as one interrupt. The handlers are installed once, when a
//! command that talks to CloudFormation starts, and remember a signal that arrives while
//! no operation listens: the next operation sees it at once and cleans up as it would
//! for Ctrl-C, instead of the process dying with a change set left behind.

use std::future::Future;
use std::task::Poll;

use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::watch;

/// The signals a run stops on.
const KINDS: [fn() -> SignalKind; 3] = [
    SignalKind::interrupt,
    SignalKind::terminate,
    SignalKind::hangup,
];

/// Whether one of the signals has arrived since [`Interrupts::listen`].
#[derive(Debug, Clone)]
pub struct Interrupts {
    fired: watch::Receiver<bool>,
}

impl Interrupts {
    /// Installs the handlers (inside a Tokio runtime); from here on the signals no longer
    /// end the process by themselves.
    pub fn listen() -> Self {
        let (sender, fired) = watch::channel(false);
        let mut streams: Vec<Signal> = KINDS
            .iter()
            .filter_map(|kind| signal(kind()).ok())
            .collect();
        tokio::spawn(async move {
            std::future::poll_fn(|cx| {
                if streams.iter_mut().any(|s| s.poll_recv(cx).is_ready()) {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            })
            .await;
            let _ = sender.send(true);
            // Keep the sender, so that listeners never mistake its end for a signal.
            std::future::pending::<()>().await;
        });
        Self { fired }
    }

    /// Resolves when a signal has arrived (at once if one already has).
    pub fn fired(&self) -> impl Future<Output = ()> + 'static {
        let mut fired = self.fired.clone();
        async move {
            if fired.wait_for(|f| *f).await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}
