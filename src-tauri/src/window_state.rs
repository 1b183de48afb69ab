//! The window's size and place, saved a moment after they change (the window-state plugin
//! saves on close only, and a session ended by a signal or a crash never closes).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// What is kept: the size, the place, and whether it was maximized.
pub const FLAGS: StateFlags = StateFlags::SIZE.union(StateFlags::POSITION).union(StateFlags::MAXIMIZED);

static CHANGED: AtomicBool = AtomicBool::new(false);

/// The window was resized or moved.
pub fn changed() {
    CHANGED.store(true, Ordering::Relaxed);
}

/// Save the window state once a second at most, when it changed.
pub fn save_when_changed(app: tauri::AppHandle) {
    let spawned = std::thread::Builder::new().name("window-state".into()).spawn(move || loop {
        std::thread::sleep(Duration::from_millis(750));
        if CHANGED.swap(false, Ordering::Relaxed) {
            if let Err(e) = app.save_window_state(FLAGS) {
                tracing::warn!("could not save the window's size and place: {e}");
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("the window's size and place will be saved on close only: {e}");
    }
}
