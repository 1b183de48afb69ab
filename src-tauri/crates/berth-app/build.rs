//! The commit Berth is built from, for `--version` and the About box: `BERTH_COMMIT` when the
//! builder sets it (a package built from a tarball), else `git rev-parse`, else "unknown".

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=BERTH_COMMIT");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let git = root.join(".git");
    for watched in ["HEAD", "refs/heads", "packed-refs"] {
        let path = git.join(watched);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    let commit = std::env::var("BERTH_COMMIT").ok().filter(|c| !c.trim().is_empty()).or_else(|| {
        let out = Command::new("git").arg("-C").arg(&root).args(["rev-parse", "--short=12", "HEAD"]).output().ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
    });
    println!("cargo:rustc-env=BERTH_COMMIT={}", commit.unwrap_or_else(|| "unknown".into()));
}
