//! A content-addressed, size-bounded disk cache of blobs and manifests fetched by digest.
//! Entries are verified on the way in and on the way out (a damaged file is dropped and
//! fetched again); when the cache outgrows its bound, the least recently used go first.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct BlobCache {
    dir: PathBuf,
    max_bytes: u64,
}

/// `sha256:<64 hex>` → the hex, or None for anything else (never a path component otherwise).
fn hex_of(digest: &str) -> Option<&str> {
    let hex = digest.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hex)
}

pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

impl BlobCache {
    pub fn new(dir: impl Into<PathBuf>, max_bytes: u64) -> BlobCache {
        BlobCache { dir: dir.into(), max_bytes }
    }

    /// `BERTH_CACHE_DIR`, else the OS cache directory; 512 MiB.
    pub fn for_user() -> Option<BlobCache> {
        let dir = std::env::var_os("BERTH_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| dirs::cache_dir().map(|d| d.join("dev.berth.app")))?;
        Some(BlobCache::new(dir.join("blobs"), 512 << 20))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, digest: &str) -> Option<PathBuf> {
        hex_of(digest).map(|hex| self.dir.join("sha256").join(&hex[..2]).join(hex))
    }

    /// The bytes of `digest`, when cached and intact.
    pub fn get(&self, digest: &str) -> Option<Vec<u8>> {
        let path = self.path(digest)?;
        let bytes = std::fs::read(&path).ok()?;
        if sha256_digest(&bytes) != digest {
            tracing::warn!("cache entry {} is damaged; dropping it", path.display());
            let _ = std::fs::remove_file(&path);
            return None;
        }
        // Touch: recently used entries are evicted last.
        let _ = std::fs::File::options()
            .append(true)
            .open(&path)
            .and_then(|f| f.set_modified(std::time::SystemTime::now()));
        Some(bytes)
    }

    /// Keep `bytes` under `digest` when they match it (else nothing is stored).
    pub fn put(&self, digest: &str, bytes: &[u8]) -> bool {
        let Some(path) = self.path(digest) else { return false };
        if sha256_digest(bytes) != digest || bytes.len() as u64 > self.max_bytes {
            return false;
        }
        let Some(parent) = path.parent() else { return false };
        if std::fs::create_dir_all(parent).is_err() {
            return false;
        }
        // Write then rename: a reader never sees half a file.
        let tmp = parent.join(format!(".{}.{}", std::process::id(), rand_suffix()));
        if std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, &path)).is_err() {
            let _ = std::fs::remove_file(&tmp);
            return false;
        }
        self.evict();
        true
    }

    /// Total bytes held.
    pub fn size(&self) -> u64 {
        self.entries().iter().map(|e| e.1).sum()
    }

    fn entries(&self) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
        let mut out = Vec::new();
        let Ok(prefixes) = std::fs::read_dir(self.dir.join("sha256")) else { return out };
        for prefix in prefixes.flatten() {
            let Ok(files) = std::fs::read_dir(prefix.path()) else { continue };
            for f in files.flatten() {
                if let Ok(meta) = f.metadata() {
                    if meta.is_file() {
                        out.push((f.path(), meta.len(), meta.modified().unwrap_or(std::time::UNIX_EPOCH)));
                    }
                }
            }
        }
        out
    }

    fn evict(&self) {
        let mut entries = self.entries();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        if total <= self.max_bytes {
            return;
        }
        entries.sort_by_key(|e| e.2);
        for (path, size, _) in entries {
            if total <= self.max_bytes {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= size;
            }
        }
    }
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(max: u64) -> BlobCache {
        let dir = std::env::temp_dir().join(format!("berth-cache-{}-{}", std::process::id(), rand_suffix()));
        BlobCache::new(dir, max)
    }

    #[test]
    fn verified_in_and_out() {
        let c = cache(1 << 20);
        let bytes = b"hello blob".to_vec();
        let d = sha256_digest(&bytes);
        assert!(c.put(&d, &bytes));
        assert_eq!(c.get(&d), Some(bytes.clone()));
        // Wrong bytes for a digest are refused.
        assert!(!c.put(&sha256_digest(b"other"), &bytes));
        // A path-like digest is never a path.
        assert!(!c.put("sha256:../../etc/passwd", &bytes));
        assert_eq!(c.get("sha256:../x"), None);
        // A damaged entry is dropped, not served.
        std::fs::write(c.path(&d).unwrap(), b"tampered").unwrap();
        assert_eq!(c.get(&d), None);
        assert!(!c.path(&d).unwrap().exists());
    }

    #[test]
    fn bounded_and_least_recently_used_first() {
        let c = cache(2500);
        let blobs: Vec<Vec<u8>> = (0..3u8).map(|i| vec![i; 1000]).collect();
        let ds: Vec<String> = blobs.iter().map(|b| sha256_digest(b)).collect();
        assert!(c.put(&ds[0], &blobs[0]));
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(c.put(&ds[1], &blobs[1]));
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(c.get(&ds[0]).is_some()); // used: now newer than 1
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(c.put(&ds[2], &blobs[2]));
        assert!(c.size() <= 2500);
        assert!(c.get(&ds[1]).is_none(), "the least recently used went");
        assert!(c.get(&ds[0]).is_some() && c.get(&ds[2]).is_some());
    }
}
