//! Logging for both front ends: `BERTH_LOG` (an `EnvFilter`, e.g. `debug` or
//! `berth_app=trace`) on stderr, with a floor no setting can lower: the libraries that log
//! requests, responses and their parsed bodies at trace level (the AWS SDK logs ECR's
//! `authorizationToken` and STS's session tokens there; the signer logs the canonical request)
//! are capped, so no log level contains a secret.

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

/// Libraries whose trace (or debug) output carries request or response bodies and headers,
/// with the most each may log.
const CAPS: &[(&str, LevelFilter)] = &[
    ("aws_smithy_runtime", LevelFilter::DEBUG),
    ("aws_smithy_runtime_api", LevelFilter::DEBUG),
    ("aws_smithy_http", LevelFilter::DEBUG),
    ("aws_smithy_http_client", LevelFilter::DEBUG),
    ("aws_smithy_types", LevelFilter::DEBUG),
    ("aws_smithy_json", LevelFilter::DEBUG),
    ("aws_smithy_query", LevelFilter::DEBUG),
    ("aws_sigv4", LevelFilter::DEBUG),
    ("aws_runtime", LevelFilter::DEBUG),
    ("aws_config", LevelFilter::DEBUG),
    ("aws_credential_types", LevelFilter::DEBUG),
    ("aws_types", LevelFilter::DEBUG),
    ("aws_sdk_ecr", LevelFilter::DEBUG),
    ("aws_sdk_sts", LevelFilter::DEBUG),
    ("aws_sdk_kms", LevelFilter::DEBUG),
    // Carries a pull-through rule's typed token (CreateSecret, PutSecretValue).
    ("aws_sdk_secretsmanager", LevelFilter::DEBUG),
    ("aws_sdk_sso", LevelFilter::DEBUG),
    ("aws_sdk_ssooidc", LevelFilter::DEBUG),
    ("aws_sdk_signin", LevelFilter::DEBUG),
    ("hyper", LevelFilter::INFO),
    ("hyper_util", LevelFilter::INFO),
    ("h2", LevelFilter::INFO),
    ("rustls", LevelFilter::INFO),
    ("reqwest", LevelFilter::DEBUG),
    ("oci_client", LevelFilter::DEBUG),
    ("bollard", LevelFilter::INFO),
    ("keyring", LevelFilter::INFO),
    ("keyring_core", LevelFilter::INFO),
    ("dbus_secret_service_keyring_store", LevelFilter::INFO),
    ("zbus", LevelFilter::INFO),
];

/// The floor: everything allowed except what `CAPS` limits.
pub fn secret_caps() -> Targets {
    Targets::new().with_default(LevelFilter::TRACE).with_targets(CAPS.iter().copied())
}

/// The user's filter: `BERTH_LOG` when set and valid, else `default`.
pub fn user_filter(default: &str) -> EnvFilter {
    match std::env::var("BERTH_LOG") {
        Ok(v) if !v.trim().is_empty() => EnvFilter::try_new(&v).unwrap_or_else(|e| {
            eprintln!("berth: BERTH_LOG={v} is not a log filter ({e}); using {default}");
            EnvFilter::new(default)
        }),
        _ => EnvFilter::new(default),
    }
}

/// Log to stderr at `BERTH_LOG` (else `default`), with the secret caps.
pub fn init(default: &str) {
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_filter(user_filter(default))
        .with_filter(secret_caps());
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn trace_everywhere_still_leaves_out_the_sdks_bodies() {
        let buffer = Buffer::default();
        let out = buffer.clone();
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(move || out.clone())
            .with_filter(EnvFilter::new("trace,aws_smithy_runtime=trace"))
            .with_filter(secret_caps());
        let subscriber = tracing_subscriber::registry().with(layer);
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(target: "aws_smithy_runtime::client::orchestrator", "output_or_error=SECRET-1");
            tracing::trace!(target: "aws_sigv4::http_request::sign", "canonical_request=SECRET-2");
            tracing::trace!(target: "aws_sdk_secretsmanager::operation::create_secret", "secret_string=SECRET-3");
            tracing::debug!(target: "aws_smithy_runtime::client::orchestrator", "beginning attempt #1");
            tracing::trace!(target: "berth_app::push", "pushing web:1");
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("beginning attempt"), "{text}");
        assert!(text.contains("pushing web:1"), "{text}");
    }
}
