//! Berth's desktop shell: Tauri setup and the IPC commands. Every command is a one-line
//! adapter onto a use case of berth-app; nothing here orchestrates AWS, Docker or registry work.

pub mod bindings;
pub mod commands;
pub mod rendering;
pub mod state;
mod window_state;

use std::time::{Duration, Instant};

pub fn run() {
    // `berth-desktop --version` answers without opening a window (packages and bug reports).
    if std::env::args().skip(1).any(|a| a == "--version" || a == "-V") {
        println!("berth-desktop {}", berth_app::version::LONG);
        return;
    }
    // Before any other thread starts: the environment is changed here only.
    let dropped = berth_app::environment::drop_empty_aws_settings();
    berth_app::logging::init_with_file("info", berth_app::logging::log_dir().as_deref());
    if !dropped.is_empty() {
        tracing::info!("empty, so read as unset: {}", dropped.join(", "));
    }
    rendering::configure();
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        // The window opens at its last size and place (restored when it is created).
        .plugin(tauri_plugin_window_state::Builder::default().with_state_flags(window_state::FLAGS).build())
        .manage(state::AppState::new())
        .setup(|app| {
            use tauri::Manager;
            let state = app.state::<state::AppState>();
            state.attach(app.handle().clone());
            // The clients and the first listing get ready while the webview starts.
            let session = state.session.clone();
            tauri::async_runtime::spawn(async move { session.warm_up().await });
            Ok(())
        })
        .on_window_event(|window, event| {
            if matches!(event, tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)) {
                use tauri::Manager;
                window_state::changed(window.app_handle());
            }
        })
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            tracing::error!("Berth could not start: {e}");
            eprintln!("Berth could not start: {e}. Is a display available (DISPLAY or WAYLAND_DISPLAY)?");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            use tauri::Manager;
            // Running jobs end as a cancel would end them (a push removes its temporary tag).
            let jobs = &handle.state::<state::AppState>().session.jobs;
            jobs.cancel_all();
            let deadline = Instant::now() + Duration::from_secs(3);
            while jobs.running() > 0 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    });
}
