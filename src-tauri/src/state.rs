//! What the desktop holds between commands: the application session (berth-app), and the
//! Tauri glue a job needs (its channel, OS notifications).

use std::sync::{Arc, OnceLock};

use berth_app::{Notice, ProfileChoice, Session, Sink};
use tauri::ipc::{Channel, IpcResponse};
use tauri::Manager;
use tauri_plugin_notification::NotificationExt;

pub struct AppState {
    pub session: Arc<Session>,
    /// The running app, for OS notifications (set once the app is built).
    app: OnceLock<tauri::AppHandle>,
}

impl AppState {
    pub fn new() -> AppState {
        let session = Session::new(
            berth_aws::profiles::ProfileStore::for_app(),
            ProfileChoice::Remembered,
            berth_app::Overrides::default(),
        );
        AppState { session, app: OnceLock::new() }
    }

    pub fn attach(&self, app: tauri::AppHandle) {
        let _ = self.app.set(app);
    }

    /// The running app, once built.
    pub fn app(&self) -> Option<&tauri::AppHandle> {
        self.app.get()
    }

    /// A job's sink: its events to the webview's channel, its end as an OS notification.
    pub fn sink<E: IpcResponse + Clone + Send + Sync + 'static>(&self, channel: Channel<E>) -> Arc<dyn Sink<E>> {
        Arc::new(WindowSink { channel, app: self.app.get().cloned() })
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

struct WindowSink<E: IpcResponse> {
    channel: Channel<E>,
    app: Option<tauri::AppHandle>,
}

impl<E: IpcResponse + Clone + Send + Sync + 'static> Sink<E> for WindowSink<E> {
    fn send(&self, event: E) {
        if let Err(err) = self.channel.send(event) {
            tracing::debug!("the webview stopped listening to a job: {err}");
        }
    }

    /// An OS notification at the end of a long job, when the window is not in front (the tray
    /// shows it otherwise). `BERTH_NOTIFY=always|never` overrides.
    fn ended(&self, notice: &Notice) {
        let Some(app) = &self.app else { return };
        let focused = app.get_webview_window("main").and_then(|w| w.is_focused().ok()).unwrap_or(false);
        let show = match std::env::var("BERTH_NOTIFY").unwrap_or_default().as_str() {
            "always" => true,
            "never" => false,
            _ => !focused,
        };
        if show {
            if let Err(e) = app.notification().builder().title(&notice.title).body(&notice.body).show() {
                tracing::debug!("no OS notification ({e})");
            }
        }
    }
}
