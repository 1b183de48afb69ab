fn main() {
    // The app embeds ui/dist. On a fresh clone before `make ui` there is none: embed a page
    // that says so, so that `cargo build` / `cargo test` work (make build, test and demo build
    // the real UI first and replace it).
    let dist = std::path::Path::new("../ui/dist");
    if !dist.join("index.html").exists() {
        println!("cargo:warning=ui/dist is not built: the app shows a placeholder page until `make ui` (make build and make test do it)");
        let _ = std::fs::create_dir_all(dist);
        let _ = std::fs::write(
            dist.join("index.html"),
            "<!doctype html><meta charset=utf-8><title>Berth</title>\
             <p style=\"font-family:sans-serif;margin:3em\">Berth's interface is not built: run <code>make ui</code> \
             (or <code>make build</code>), then start the app again.</p>\n",
        );
    }
    println!("cargo:rerun-if-changed=../ui/dist/index.html");
    // Declaring the app's commands makes Tauri generate one `allow-<command>` permission per
    // command; capabilities/default.json then grants exactly the ones the UI uses.
    let commands: &[&str] = &include!("src/commands/names.in");
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}
