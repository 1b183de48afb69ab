//! The window's size and place, saved a moment after they change (the window-state plugin
//! saves on close only, and a session ended by a signal or a crash never closes).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is kept: the size, the place, and whether it was maximized.
pub const FLAGS: StateFlags = StateFlags::SIZE.union(StateFlags::POSITION).union(StateFlags::MAXIMIZED);

/// How long the window must stay still before it is saved (a drag sends a stream of events).
const QUIET: Duration = Duration::from_millis(750);

/// Bumped by every resize or move: a pending save that sees a later one leaves it the work.
static LAST_CHANGE: AtomicU64 = AtomicU64::new(0);

/// The window was resized or moved: save it once it has been still for a moment. Nothing runs
/// while the window stays as it is.
pub fn changed(app: &tauri::AppHandle) {
    let this = LAST_CHANGE.fetch_add(1, Ordering::Relaxed) + 1;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(QUIET).await;
        if LAST_CHANGE.load(Ordering::Relaxed) == this {
            if let Err(e) = app.save_window_state(FLAGS) {
                tracing::warn!("could not save the window's size and place: {e}");
            }
        }
    });
}
