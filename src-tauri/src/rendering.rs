//! How the webview draws on Linux. WebKitGTK composites with OpenGL; where the machine has no
//! GPU (no DRM render node: virtual machines, containers, remote and headless sessions), Mesa
//! runs that OpenGL on the CPU (llvmpipe), and every scrolled frame costs 60–70 ms — measured
//! here even for a blank box (`make bench`, ui). WebKit's non-composited path paints only what
//! changed and scrolls the same 10,000-row table at 16 ms a frame. So without a render node
//! Berth turns compositing off, unless the user has said otherwise
//! (`WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps it on).

/// What the machine offers, as far as the choice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Machine {
    /// `WEBKIT_DISABLE_COMPOSITING_MODE` is set (to anything): the user's choice stands.
    pub user_chose: bool,
    /// A `/dev/dri/renderD*` node exists: OpenGL can run on a GPU.
    pub render_node: bool,
    /// `LIBGL_ALWAYS_SOFTWARE` is set to something other than `0`: OpenGL on the CPU even so.
    pub forced_software: bool,
}

/// Should compositing be turned off?
pub fn disable_compositing(m: Machine) -> bool {
    !m.user_chose && (!m.render_node || m.forced_software)
}

impl Machine {
    pub fn probe() -> Machine {
        let render_node = std::fs::read_dir("/dev/dri")
            .map(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
            .unwrap_or(false);
        Machine {
            user_chose: std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some(),
            render_node,
            forced_software: std::env::var("LIBGL_ALWAYS_SOFTWARE").is_ok_and(|v| !v.is_empty() && v != "0"),
        }
    }
}

/// Decide before the webview exists (WebKit reads the setting once, when it starts). Call while
/// the process has a single thread.
pub fn configure() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let machine = Machine::probe();
    if disable_compositing(machine) {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
        tracing::info!(
            ?machine,
            "no GPU for the webview: WebKit compositing off (WEBKIT_DISABLE_COMPOSITING_MODE=0 keeps it on)"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositing_goes_off_only_where_opengl_would_run_on_the_cpu() {
        let m = |user_chose, render_node, forced_software| Machine { user_chose, render_node, forced_software };
        assert!(disable_compositing(m(false, false, false)), "no render node");
        assert!(disable_compositing(m(false, true, true)), "software forced");
        assert!(!disable_compositing(m(false, true, false)), "a GPU");
        assert!(!disable_compositing(m(true, false, false)), "the user's setting stands");
        assert!(!disable_compositing(m(true, true, true)), "the user's setting stands");
    }
}
