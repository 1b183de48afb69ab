//! TypeScript bindings for the IPC boundary, generated from the Rust types (ts-rs) and the
//! command list. The committed file is `ui/src/lib/bindings/index.ts`; the test below fails
//! when it drifts from the Rust side. Regenerate with `make bindings`.

use std::path::PathBuf;

use ts_rs::{Config, TS};

/// A type's name on the TypeScript side.
pub trait TsType {
    fn ts(cfg: &Config) -> String;
}

impl<T: TsType> TsType for Vec<T> {
    fn ts(cfg: &Config) -> String {
        format!("Array<{}>", T::ts(cfg))
    }
}

impl<T: TsType> TsType for Option<T> {
    fn ts(cfg: &Config) -> String {
        format!("{} | null", T::ts(cfg))
    }
}

impl<T: TsType + tauri::ipc::IpcResponse> TsType for tauri::ipc::Channel<T> {
    fn ts(cfg: &Config) -> String {
        format!("Channel<{}>", T::ts(cfg))
    }
}

macro_rules! primitives {
    ($($ty:ty => $ts:literal),*) => { $(impl TsType for $ty { fn ts(_: &Config) -> String { $ts.to_string() } })* };
}
primitives!(String => "string", bool => "boolean", u32 => "number", () => "null");
// A secret goes from the webview to Rust only (it deserializes, never serializes).
primitives!(berth_core::Secret => "string");

/// Every type that crosses the boundary: declared in the bindings, usable in commands.
macro_rules! boundary_types {
    ($($ty:path),* $(,)?) => {
        $(impl TsType for $ty { fn ts(cfg: &Config) -> String { <$ty as TS>::name(cfg) } })*
        fn declarations(cfg: &Config) -> Vec<String> {
            vec![$(<$ty as TS>::decl(cfg)),*]
        }
    };
}

boundary_types!(
    berth_core::ErrorCode,
    berth_core::BerthError,
    berth_core::job::JobId,
    berth_core::job::ImageListEvent,
    berth_core::job::LoadEvent,
    berth_core::model::ProfileSource,
    berth_core::model::CredentialKind,
    berth_core::model::AppCredentialInfo,
    berth_core::model::ProfileInfo,
    berth_core::model::ProfileList,
    berth_core::model::AppProfileInput,
    berth_core::model::FieldProblem,
    berth_core::model::RegionInfo,
    berth_core::model::ConnectionTest,
    berth_core::model::Connection,
    berth_core::model::About,
    berth_core::model::DiagnosticsCopy,
    berth_core::model::TagMutability,
    berth_core::model::EncryptionKind,
    berth_core::model::Encryption,
    berth_core::model::Repository,
    berth_core::model::ScanStatus,
    berth_core::model::ImageSummary,
    berth_core::model::LocalImage,
    berth_core::model::ResourceTag,
    berth_core::model::RepositorySpec,
    berth_core::model::RepositoryStep,
    berth_core::model::StepStatus,
    berth_core::model::StepOutcome,
    berth_core::model::CreateReport,
    berth_core::model::UpdateReport,
    berth_core::model::KmsAlias,
    berth_core::model::RepositoryDetails,
    berth_core::model::RepositoryStats,
    berth_core::model::PolicyTemplate,
    berth_core::model::RepositoryReview,
    berth_core::model::PolicyChange,
    berth_core::model::TargetTag,
    berth_core::model::PushCheck,
    berth_core::push::LayerState,
    berth_core::push::LayerProgress,
    berth_core::push::PushSummary,
    berth_core::copy::CopySummary,
    berth_core::copy::CopyRequest,
    berth_core::copy::CopyCheck,
    berth_core::copy::PinnedRegistry,
    berth_core::copy::HeldRegistry,
    berth_core::copy::Registries,
    berth_core::copy::RegistryTarget,
    berth_core::copy::TargetRepositories,
    berth_core::copy::PublicRepository,
    berth_core::copy::PublicCatalog,
    berth_core::copy::PublicRegistry,
    berth_core::public::PublicImage,
    berth_core::public::PublicRepositoryView,
    berth_core::public::PublicReview,
    berth_core::push::PushEvent,
    berth_core::model::RepositoryChange,
    berth_core::image::HistoryEntry,
    berth_core::image::ImageConfig,
    berth_core::image::LayerInfo,
    berth_core::image::PlatformEntry,
    berth_core::image::ImageInfo,
    berth_core::image::LayerStatus,
    berth_core::image::LayerRow,
    berth_core::image::ConfigChange,
    berth_core::image::HistoryRow,
    berth_core::image::CompareSide,
    berth_core::image::PlatformPair,
    berth_core::image::Finding,
    berth_core::image::ScanFindings,
    berth_core::image::VulnerabilityDiff,
    berth_core::image::Comparison,
    berth_core::image::Snippets,
    berth_core::image::ImageRef,
    berth_core::image::DeleteFailure,
    berth_core::image::DeleteReport,
    berth_aws::inspect::ImageDetails,
    berth_core::lifecycle::LifecyclePolicy,
    berth_core::lifecycle::Rule,
    berth_core::lifecycle::TagStatus,
    berth_core::lifecycle::StorageClass,
    berth_core::lifecycle::ImageStorageClass,
    berth_core::lifecycle::CountUnit,
    berth_core::lifecycle::LifecyclePreviewStatus,
    berth_core::lifecycle::CountType,
    berth_core::lifecycle::Selection,
    berth_core::lifecycle::ActionType,
    berth_core::lifecycle::Action,
    berth_core::lifecycle::SimImage,
    berth_core::lifecycle::Decision,
    berth_core::lifecycle::Simulation,
    berth_core::lifecycle::EcrPreview,
    berth_core::lifecycle::EcrPreviewHit,
    berth_core::registry::ImageStatus,
    berth_core::registry::ReplicationDestination,
    berth_core::registry::RepositoryFilter,
    berth_core::registry::ReplicationRule,
    berth_core::registry::ReplicationConfiguration,
    berth_core::registry::ReplicationStatus,
    berth_core::registry::RegistryPolicyTemplate,
    berth_core::registry::Upstream,
    berth_core::registry::PullThroughRule,
    berth_core::registry::PullThroughInput,
    berth_core::registry::PullThroughValidation,
    berth_core::registry::CredentialSecret,
    berth_core::registry::AppliedFor,
    berth_core::registry::CreationTemplate,
    berth_core::registry::ScanType,
    berth_core::registry::ScanFrequency,
    berth_core::registry::ScanningRule,
    berth_core::registry::ScanningConfiguration,
    berth_core::registry::ScanCoverage,
    berth_core::registry::ScanningView,
    berth_core::registry::AccountSetting,
    berth_core::registry::StorageChange,
    berth_core::registry::RegistryOverview,
    berth_core::copy::DockerRegistry,
    berth_core::copy::BrowseRepositories,
);

fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The whole bindings file.
pub fn render() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by `make bindings` (src-tauri/src/bindings.rs). Do not edit.\n\
         import type { Channel } from '@tauri-apps/api/core';\n\n",
    );
    for decl in declarations(&cfg) {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    let codes: Vec<String> = berth_core::ErrorCode::all().map(|c| format!("'{}'", c.name())).collect();
    out.push_str(&format!(
        "/** Every error code, for checking a rejection at run time. */\nexport const ERROR_CODES: readonly ErrorCode[] = [{}];\n\n",
        codes.join(", ")
    ));
    out.push_str("/** Every command: its arguments (as the webview passes them) and its result. */\nexport interface Commands {\n");
    for spec in crate::commands::specs(&cfg) {
        let args: Vec<String> = spec.args.iter().map(|(n, t)| format!("{}: {t}", camel_case(n))).collect();
        out.push_str(&format!("  {}: {{ args: {{ {} }}; result: {} }};\n", spec.name, args.join("; "), spec.result));
    }
    out.push_str("}\n");
    out
}

pub fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings/index.ts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_are_current() {
        let fresh = render();
        let path = committed_path();
        if std::env::var_os("BERTH_WRITE_BINDINGS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/bindings/index.ts differs from the Rust types: run `make bindings` and commit the result"
        );
    }

    #[test]
    fn argument_names_are_camel_cased_as_tauri_expects() {
        assert_eq!(camel_case("on_event"), "onEvent");
        assert_eq!(camel_case("repository"), "repository");
    }
}
