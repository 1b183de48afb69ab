//! Help: the About box, "Copy diagnostics" and "Open log folder".

use berth_core::model::DiagnosticsCopy;
use berth_core::{BerthError, ErrorCode};
use tauri::State;
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_opener::OpenerExt;

use super::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub async fn about(_state: State<'_, AppState>) -> CommandResult<berth_core::model::About> {
    Ok(berth_app::version::about())
}

/// Gather the diagnostics and put them on the clipboard (from here, not from the webview:
/// its clipboard wants a click it can still see, and gathering takes a moment); answers
/// the text, which the window shows if the clipboard refused it. No secret, no key id
/// (see berth-app).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn copy_diagnostics(state: State<'_, AppState>) -> CommandResult<DiagnosticsCopy> {
    let engine = if cfg!(target_os = "linux") {
        "WebKitGTK"
    } else if cfg!(target_os = "macos") {
        "WKWebView"
    } else {
        "WebView2"
    };
    let webview = tauri::webview_version().ok().map(|v| format!("{engine} {v}"));
    let text = state.session.diagnostics("berth-desktop", webview).await.text();
    let copied = match state.app() {
        Some(app) => match app.clipboard().write_text(text.clone()) {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("the clipboard refused the diagnostics: {e}");
                false
            }
        },
        None => false,
    };
    Ok(DiagnosticsCopy { text, copied })
}

/// Open the log folder in the file manager; answers its path (shown if nothing opens).
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn open_log_folder(state: State<'_, AppState>) -> CommandResult<String> {
    let dir = berth_app::logging::log_dir().ok_or_else(|| {
        BerthError::not_found("Berth has no log folder here (no home directory); its log goes to stderr.")
    })?;
    let shown = dir.display().to_string();
    let app = state.app().ok_or_else(|| BerthError::new(ErrorCode::Internal, "The window is not ready yet; retry."))?;
    app.opener().open_path(shown.clone(), None::<&str>).map_err(|e| {
        BerthError::new(
            ErrorCode::Unsupported,
            format!("No file manager opened {shown} ({e}): open that folder yourself."),
        )
    })?;
    Ok(shown)
}
