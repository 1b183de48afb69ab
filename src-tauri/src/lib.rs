//! Berth's desktop shell: Tauri setup, application state and the IPC commands. Every command
//! is a one-line adapter onto a core crate; nothing here knows AWS, Docker or registry details.

pub mod bindings;
pub mod commands;
pub mod rendering;
pub mod state;

use tracing_subscriber::EnvFilter;

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("BERTH_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .with_writer(std::io::stderr)
        .init();
    rendering::configure();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .manage(state::AppState::new(berth_aws::profiles::ProfileStore::for_app()))
        .setup(|app| {
            use tauri::Manager;
            app.state::<state::AppState>().attach(app.handle().clone());
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!());
    if let Err(e) = result {
        tracing::error!("Berth could not start: {e}");
        eprintln!("Berth could not start: {e}. Is a display available (DISPLAY or WAYLAND_DISPLAY)?");
        std::process::exit(1);
    }
}
