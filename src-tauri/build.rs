fn main() {
    // Declaring the app's commands makes Tauri generate one `allow-<command>` permission per
    // command; capabilities/default.json then grants exactly the ones the UI uses.
    let commands: &[&str] = &include!("src/commands/names.in");
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}
