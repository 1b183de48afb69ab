//! The IPC commands. `commands!` below is the one list of them: it registers the handlers,
//! type-checks each declared signature against the function, and describes them for the
//! generated TypeScript bindings.

pub mod browse;
pub mod connection;
pub mod copy;
pub mod help;
pub mod images;
pub mod jobs;
pub mod lifecycle;
pub mod local;
pub mod profiles;
pub mod public;
pub mod push;
pub mod registry;
pub mod repositories;

use berth_core::BerthError;

/// What a command returns to the webview: a value, or `{code, message}`.
pub type CommandResult<T> = Result<T, BerthError>;

/// A command's description for the TypeScript generator.
pub struct CommandSpec {
    pub name: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub result: String,
}

macro_rules! commands {
    ($( $module:ident :: $name:ident ( $($arg:ident : $ty:ty),* ) -> $ret:ty ; )*) => {
        /// The invoke handler with every command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($module::$name),*]
        }

        /// Every command with its argument and result types, for the TypeScript bindings.
        pub fn specs(cfg: &ts_rs::Config) -> Vec<CommandSpec> {
            use crate::bindings::TsType;
            vec![$(CommandSpec {
                name: stringify!($name),
                args: vec![$((stringify!($arg), <$ty as TsType>::ts(cfg))),*],
                result: <$ret as TsType>::ts(cfg),
            }),*]
        }

        /// The declared signatures must be the real ones: this does not compile otherwise.
        #[allow(dead_code)]
        fn signatures_match() {
            fn returns<F: std::future::Future<Output = CommandResult<T>>, T>(_: F) {}
            $({
                #[allow(dead_code)]
                fn check(state: tauri::State<'_, crate::state::AppState>, $($arg: $ty),*) {
                    returns::<_, $ret>($module::$name(state, $($arg),*));
                }
            })*
        }
    };
}

// The file names.in repeats the names for build.rs (permissions); a test keeps them equal.
commands! {
    connection::get_connection() -> berth_core::model::Connection;
    profiles::list_profiles() -> berth_core::model::ProfileList;
    profiles::select_profile(id: String) -> berth_core::model::Connection;
    profiles::set_region(region: String) -> berth_core::model::Connection;
    profiles::list_regions() -> Vec<berth_core::model::RegionInfo>;
    profiles::check_profile(profile: berth_core::model::AppProfileInput) -> Vec<berth_core::model::FieldProblem>;
    profiles::save_profile(profile: berth_core::model::AppProfileInput) -> berth_core::model::ProfileInfo;
    profiles::remove_profile(name: String) -> ();
    profiles::test_connection(id: String, mfa_code: Option<String>) -> berth_core::model::ConnectionTest;
    profiles::provide_mfa_code(code: String) -> berth_core::model::Connection;
    repositories::list_repositories() -> Vec<berth_core::model::Repository>;
    repositories::check_repository(spec: berth_core::model::RepositorySpec) -> Vec<berth_core::model::FieldProblem>;
    repositories::review_repository(spec: berth_core::model::RepositorySpec) -> berth_core::model::RepositoryReview;
    repositories::create_repository(spec: berth_core::model::RepositorySpec) -> berth_core::model::CreateReport;
    repositories::retry_repository_policies(spec: berth_core::model::RepositorySpec) -> Vec<berth_core::model::StepOutcome>;
    repositories::repository_details(name: String) -> berth_core::model::RepositoryDetails;
    repositories::repository_stats(name: String) -> berth_core::model::RepositoryStats;
    repositories::update_repository(change: berth_core::model::RepositoryChange) -> berth_core::model::UpdateReport;
    repositories::delete_repository(name: String, force: bool) -> ();
    repositories::list_kms_aliases() -> Vec<berth_core::model::KmsAlias>;
    repositories::render_policy_template(template: berth_core::model::PolicyTemplate) -> String;
    repositories::describe_repository_policy(text: String) -> Vec<String>;
    images::list_images(repository: String, on_event: tauri::ipc::Channel<berth_core::job::ImageListEvent>) -> berth_core::job::JobId;
    images::image_details(repository: String, reference: String, platform: Option<String>) -> berth_aws::inspect::ImageDetails;
    images::compare_images(a: String, b: String, platform: Option<String>) -> berth_core::image::Comparison;
    images::add_tag(repository: String, source: String, new_tag: String) -> String;
    images::delete_images(repository: String, images: Vec<berth_core::image::ImageRef>) -> berth_core::image::DeleteReport;
    images::start_scan(repository: String, digest: String) -> berth_core::model::ScanStatus;
    jobs::cancel_job(job: berth_core::job::JobId) -> bool;
    lifecycle::simulate_lifecycle(policy: String, images: Vec<berth_core::lifecycle::SimImage>, at: Option<String>) -> berth_core::lifecycle::Simulation;
    lifecycle::ecr_lifecycle_preview(repository: String, policy: String) -> berth_core::lifecycle::EcrPreview;
    local::list_local_images() -> Vec<berth_core::model::LocalImage>;
    local::load_archive(path: String, on_event: tauri::ipc::Channel<berth_core::job::LoadEvent>) -> berth_core::job::JobId;
    push::check_push_target(repository: String, tags: Vec<String>) -> berth_core::model::PushCheck;
    push::push_image(source: String, repository: String, tags: Vec<String>, on_event: tauri::ipc::Channel<berth_core::push::PushEvent>) -> berth_core::job::JobId;
    copy::check_copy(request: berth_core::copy::CopyRequest) -> berth_core::copy::CopyCheck;
    copy::copy_image(request: berth_core::copy::CopyRequest, on_event: tauri::ipc::Channel<berth_core::push::PushEvent>) -> berth_core::job::JobId;
    copy::list_registries() -> berth_core::copy::Registries;
    copy::pin_registry(pin: berth_core::copy::PinnedRegistry, pinned: bool) -> Vec<berth_core::copy::PinnedRegistry>;
    copy::add_registry(host: String, username: String, password: berth_core::Secret) -> berth_core::copy::HeldRegistry;
    copy::remove_registry(host: String) -> ();
    copy::target_repositories(target: berth_core::copy::RegistryTarget) -> berth_core::copy::TargetRepositories;
    copy::create_repository_in(profile: String, region: String, name: String) -> ();
    copy::public_registry() -> berth_core::copy::PublicRegistry;
    copy::create_public_repository(name: String, catalog: berth_core::copy::PublicCatalog) -> berth_core::copy::PublicRepository;
    public::review_public_repository(name: String, catalog: berth_core::copy::PublicCatalog) -> berth_core::public::PublicReview;
    public::public_repository(name: String) -> berth_core::public::PublicRepositoryView;
    public::check_public_push_target(repository: String, tags: Vec<String>) -> berth_core::model::PushCheck;
    public::push_public_image(source: String, repository: String, tags: Vec<String>, on_event: tauri::ipc::Channel<berth_core::push::PushEvent>) -> berth_core::job::JobId;
    public::delete_public_repository(name: String, force: bool) -> ();
    public::delete_public_images(repository: String, images: Vec<berth_core::image::ImageRef>) -> berth_core::image::DeleteReport;
    registry::registry_overview() -> berth_core::registry::RegistryOverview;
    registry::check_replication(config: berth_core::registry::ReplicationConfiguration) -> Vec<berth_core::model::FieldProblem>;
    registry::set_replication(config: berth_core::registry::ReplicationConfiguration) -> berth_core::registry::ReplicationConfiguration;
    registry::replication_words(config: berth_core::registry::ReplicationConfiguration) -> Vec<String>;
    registry::registry_policy_template(template: berth_core::registry::RegistryPolicyTemplate) -> String;
    registry::replication_status(repository: String, reference: String) -> Vec<berth_core::registry::ReplicationStatus>;
    registry::credential_secrets() -> Vec<berth_core::registry::CredentialSecret>;
    registry::add_pull_through_rule(input: berth_core::registry::PullThroughInput) -> berth_core::registry::PullThroughRule;
    registry::update_pull_through_rule(input: berth_core::registry::PullThroughInput) -> berth_core::registry::PullThroughRule;
    registry::validate_pull_through_rule(prefix: String) -> berth_core::registry::PullThroughValidation;
    registry::remove_pull_through_rule(prefix: String) -> ();
    registry::check_template(template: berth_core::registry::CreationTemplate) -> Vec<berth_core::model::FieldProblem>;
    registry::save_template(template: berth_core::registry::CreationTemplate) -> berth_core::registry::CreationTemplate;
    registry::remove_template(prefix: String) -> ();
    registry::scanning() -> berth_core::registry::ScanningView;
    registry::set_scanning(config: berth_core::registry::ScanningConfiguration) -> berth_core::registry::ScanningView;
    registry::set_registry_policy(text: String) -> ();
    registry::clear_registry_policy() -> ();
    registry::set_account_setting(name: String, value: String) -> ();
    registry::set_image_storage(repository: String, images: Vec<String>, archive: bool) -> Vec<berth_core::registry::StorageChange>;
    browse::docker_registries() -> Vec<berth_core::copy::DockerRegistry>;
    browse::browse_repositories(target: berth_core::copy::RegistryTarget) -> berth_core::copy::BrowseRepositories;
    browse::browse_tags(repository: String) -> Vec<String>;
    browse::forget_repository(host: String, repository: String) -> Vec<String>;
    browse::registry_digest(reference: String) -> String;
    browse::registry_image(reference: String, platform: Option<String>) -> berth_core::image::ImageInfo;
    help::about() -> berth_core::model::About;
    help::copy_diagnostics() -> berth_core::model::DiagnosticsCopy;
    help::open_log_folder() -> String;
}

#[cfg(test)]
mod tests {
    #[test]
    fn build_script_names_match_the_command_list() {
        let listed: Vec<&str> = include!("names.in").to_vec();
        let declared: Vec<&str> = super::specs(&ts_rs::Config::new()).iter().map(|s| s.name).collect();
        assert_eq!(listed, declared, "update src-tauri/src/commands/names.in");
    }
}
