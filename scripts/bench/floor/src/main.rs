//! make bench's floor: a Tauri 2 window of the same WebKit as Berth, showing a static page
//! (`dist/`), with nothing else: no plugin, no command, no state. Its page marks its first paint
//! as Berth marks its first rows (`performance.mark`, two animation frames after the content is
//! in the document), and scripts/bench/start.py compares the two.

fn main() {
    // The same rendering choice as the app (src-tauri/src/rendering.rs): without a GPU render
    // node, WebKit compositing off unless the user chose.
    #[cfg(target_os = "linux")]
    {
        let render_node = std::fs::read_dir("/dev/dri")
            .map(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
            .unwrap_or(false);
        let software = std::env::var("LIBGL_ALWAYS_SOFTWARE").is_ok_and(|v| !v.is_empty() && v != "0");
        if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() && (!render_node || software) {
            std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        }
    }
    tauri::Builder::default().run(tauri::generate_context!()).expect("the floor's window");
}
