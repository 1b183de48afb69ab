//! Servers of the tests' own: a CNCF registry and a Docker engine, on loopback, that a test
//! may stop and start again (the sandbox's are shared by every test and stay up).
#![allow(dead_code)]

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn nonce() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64
}

/// A fresh directory under /tmp with a short path (unix socket paths must fit in 108 bytes).
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(format!("/tmp/bt-{name}-{}-{}", std::process::id(), nonce() % 100_000));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..300 {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what} did not come up in 30 s");
}

/// A process that is killed (with its process group) when dropped; `stop` and `start` again.
pub struct Service {
    child: Arc<Mutex<Option<Child>>>,
    command: Arc<dyn Fn() -> Command + Send + Sync>,
    ready: Arc<dyn Fn() -> bool + Send + Sync>,
    name: String,
}

impl Service {
    pub fn start(
        name: &str,
        command: impl Fn() -> Command + Send + Sync + 'static,
        ready: impl Fn() -> bool + Send + Sync + 'static,
    ) -> Service {
        let s = Service {
            child: Arc::new(Mutex::new(None)),
            command: Arc::new(command),
            ready: Arc::new(ready),
            name: name.to_string(),
        };
        s.up();
        s
    }

    pub fn up(&self) {
        let mut cmd = (self.command)();
        cmd.stdout(Stdio::null()).stderr(Stdio::null()).process_group(0);
        *self.child.lock().unwrap() = Some(cmd.spawn().unwrap_or_else(|e| panic!("{}: {e}", self.name)));
        let ready = self.ready.clone();
        wait_for(&self.name, || ready());
    }

    /// Stop as `systemctl stop` would: SIGTERM to the group, then wait.
    pub fn stop(&self) {
        self.end("TERM");
    }

    /// End it at once, as a crash or an out-of-memory kill would (SIGKILL to the group): a
    /// stop it cannot finish its work in-flight first.
    pub fn crash(&self) {
        self.end("KILL");
    }

    fn end(&self, first: &str) {
        if let Some(mut c) = self.child.lock().unwrap().take() {
            let group = format!("-{}", c.id());
            let kill = |signal: &str| {
                let _ = Command::new("kill").args(["-s", signal, "--", &group]).stderr(Stdio::null()).status();
            };
            kill(first);
            for _ in 0..150 {
                if c.try_wait().ok().flatten().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            kill("KILL");
            let _ = c.wait();
        }
    }

    /// Stop now, and start again after `delay` on another thread.
    pub fn bounce(&self, delay: Duration) {
        self.stop();
        self.restart_after(delay);
    }

    /// Crash now, and start again after `delay` on another thread.
    pub fn crash_and_restart(&self, delay: Duration) {
        self.crash();
        self.restart_after(delay);
    }

    fn restart_after(&self, delay: Duration) {
        let again = Service {
            child: self.child.clone(),
            command: self.command.clone(),
            ready: self.ready.clone(),
            name: self.name.clone(),
        };
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            again.up();
            std::mem::forget(again);
        });
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A registry on a free loopback port, storage in `dir/data`; with `password`, htpasswd basic
/// auth for user AWS (as the sandbox's, as ECR).
pub fn registry(dir: &Path, password: Option<&str>) -> (Service, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    write_registry_config(dir, &addr, password);
    let config = dir.join("config.yml");
    let probe = addr.clone();
    let service = Service::start(
        "docker-registry",
        move || {
            let mut c = Command::new("docker-registry");
            c.arg("serve").arg(&config);
            c
        },
        move || std::net::TcpStream::connect(&probe).is_ok(),
    );
    (service, addr)
}

/// (Re)write the registry's config; a new password takes effect at the registry's next start.
pub fn write_registry_config(dir: &Path, addr: &str, password: Option<&str>) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let mut yaml = format!(
        "version: 0.1\nlog: {{level: error}}\nstorage:\n  filesystem: {{rootdirectory: {}}}\nhttp:\n  addr: {addr}\n",
        dir.join("data").display()
    );
    if let Some(password) = password {
        let out = Command::new("htpasswd").args(["-Bbn", "AWS", password]).output().expect("htpasswd");
        assert!(out.status.success());
        std::fs::write(dir.join("htpasswd"), out.stdout).unwrap();
        yaml.push_str(&format!("auth:\n  htpasswd: {{realm: test, path: {}}}\n", dir.join("htpasswd").display()));
    }
    std::fs::write(dir.join("config.yml"), yaml).unwrap();
}

/// A Docker engine of the test's own on `dir/s`, data in `data_root` (vfs, no networking).
pub fn dockerd(dir: &Path, data_root: &Path) -> (Service, String) {
    let socket = dir.join("s");
    let host = format!("unix://{}", socket.display());
    let (dir, data_root, probe) = (dir.to_path_buf(), data_root.to_path_buf(), host.clone());
    let service = Service::start(
        "dockerd",
        move || {
            // After a crash the pid files stay (dockerd's, and containerd's in the exec root)
            // and the daemon refuses to start; a supervisor clears that runtime state, so
            // does this (the data root, with the images, stays).
            let _ = std::fs::remove_file(dir.join("pid"));
            let _ = std::fs::remove_dir_all(dir.join("x"));
            let mut c = Command::new("dockerd");
            c.arg("--data-root")
                .arg(&data_root)
                .arg("--exec-root")
                .arg(dir.join("x"))
                .arg("--pidfile")
                .arg(dir.join("pid"))
                .args(["--host", &format!("unix://{}", dir.join("s").display())])
                .args(["--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver=vfs"]);
            c
        },
        move || {
            Command::new("docker").args(["-H", &probe, "version"]).output().map(|o| o.status.success()).unwrap_or(false)
        },
    );
    (service, host)
}

/// Build an image of `layers` layers of `kib` KiB of random bytes on the engine at `host`.
pub fn build_image(host: &str, name: &str, layers: usize, kib: usize) -> String {
    let dir = scratch("ctx");
    let mut dockerfile = String::from("FROM scratch\n");
    let mut x = nonce() | 1;
    for i in 0..layers {
        let mut bytes = vec![0u8; kib * 1024];
        for b in bytes.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        std::fs::write(dir.join(format!("l{i}.bin")), bytes).unwrap();
        dockerfile.push_str(&format!("COPY l{i}.bin /l{i}.bin\n"));
    }
    std::fs::write(dir.join("Dockerfile"), dockerfile).unwrap();
    let tag = format!("berth-test/{name}:{}", nonce() % 1_000_000);
    let out = docker(host).env("DOCKER_BUILDKIT", "0").args(["build", "-q", "-t", &tag]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "docker build: {}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    tag
}

pub fn docker(host: &str) -> Command {
    let mut c = Command::new("docker");
    c.env("DOCKER_HOST", host);
    c
}
