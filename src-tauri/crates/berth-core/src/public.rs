//! ECR Public in the window: a public repository's images and the view of it. (The
//! repository, its catalog data and the sidebar's registry are in `copy`.)

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::copy::PublicRepository;
use crate::Timestamp;

/// The host a pull from ECR Public names, whatever registry plays it.
pub const PUBLIC_HOST: &str = "public.ecr.aws";

/// An image of a public repository (ECR Public DescribeImages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PublicImage {
    pub digest: String,
    pub tags: Vec<String>,
    pub size_bytes: Option<u64>,
    pub pushed_at: Option<Timestamp>,
    pub media_type: Option<String>,
}

/// A public repository as its view shows it: the catalog data, the images (newest first)
/// and where a pull names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PublicRepositoryView {
    pub alias: String,
    pub repository: PublicRepository,
    pub images: Vec<PublicImage>,
}

impl PublicRepositoryView {
    /// `docker pull public.ecr.aws/ALIAS/NAME:TAG` (or `@DIGEST` for an untagged image).
    pub fn pull_command(&self, image: &PublicImage) -> String {
        pull_command(&self.alias, &self.repository.name, image)
    }
}

/// `docker pull public.ecr.aws/ALIAS/NAME:TAG`, by digest when the image has no tag.
pub fn pull_command(alias: &str, name: &str, image: &PublicImage) -> String {
    match image.tags.first() {
        Some(tag) => format!("docker pull {PUBLIC_HOST}/{alias}/{name}:{tag}"),
        None => format!("docker pull {PUBLIC_HOST}/{alias}/{name}@{}", image.digest),
    }
}

/// Newest first; images never pushed (no time) last, then by digest so the order is stable.
pub fn sort_newest_first(images: &mut [PublicImage]) {
    images.sort_by(|a, b| b.pushed_at.cmp(&a.pushed_at).then_with(|| a.digest.cmp(&b.digest)));
}

/// Where a push to ECR Public goes: the registry path `ALIAS/NAME` (the registry's own
/// addressing) and the address a pull names.
pub fn registry_path(alias: &str, name: &str) -> String {
    format!("{alias}/{name}")
}

/// The `aws ecr-public create-repository` command the wizard's review shows.
pub fn create_cli(name: &str, catalog: &crate::copy::PublicCatalog) -> String {
    // A struct, not a JSON map: its field order is fixed, whereas a map's order depends on
    // whether some crate in the build turned on serde_json's `preserve_order`.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct CatalogData<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        about_text: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        usage_text: Option<&'a str>,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        architectures: &'a [String],
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        operating_systems: &'a [String],
    }
    fn given(text: &Option<String>) -> Option<&str> {
        text.as_deref().filter(|t| !t.is_empty())
    }
    let data = CatalogData {
        description: given(&catalog.description),
        about_text: given(&catalog.about_text),
        usage_text: given(&catalog.usage_text),
        architectures: &catalog.architectures,
        operating_systems: &catalog.operating_systems,
    };
    let mut cli = format!("aws ecr-public create-repository --region us-east-1 --repository-name {name}");
    let json = serde_json::to_string(&data).unwrap_or_default();
    if json != "{}" {
        let json = json.replace('\'', "'\\''");
        cli.push_str(&format!(" \\\n  --catalog-data '{json}'"));
    }
    cli
}

/// The wizard's review of a public repository: the CLI equivalent, what ECR Public would
/// refuse, and the catalog values the gallery shows no badge for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PublicReview {
    pub uri: String,
    pub cli: String,
    pub problems: Vec<String>,
    pub notes: Vec<String>,
}

/// Review a public repository before it is created (no API call; `alias` as DescribeRegistries
/// answers it, when known).
pub fn review(alias: Option<&str>, name: &str, catalog: &crate::copy::PublicCatalog) -> PublicReview {
    let mut problems = crate::copy::catalog_problems(catalog);
    if let Err(e) = crate::validate::repository_name(name) {
        problems.insert(0, e.message);
    }
    PublicReview {
        uri: format!("{PUBLIC_HOST}/{}/{name}", alias.unwrap_or("ALIAS")),
        cli: create_cli(name, catalog),
        problems,
        notes: crate::copy::catalog_notes(catalog),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copy::PublicCatalog;

    fn image(digest: &str, tags: &[&str], pushed: Option<i64>) -> PublicImage {
        PublicImage {
            digest: digest.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            size_bytes: Some(1),
            pushed_at: pushed.and_then(Timestamp::from_unix),
            media_type: None,
        }
    }

    #[test]
    fn pull_commands_name_public_ecr_aws_by_tag_else_by_digest() {
        assert_eq!(
            pull_command("b", "tools", &image("sha256:1", &["1.0"], None)),
            "docker pull public.ecr.aws/b/tools:1.0"
        );
        assert_eq!(
            pull_command("b", "tools", &image("sha256:1", &[], None)),
            "docker pull public.ecr.aws/b/tools@sha256:1"
        );
    }

    #[test]
    fn newest_first_and_unknown_times_last() {
        let mut images =
            vec![image("sha256:a", &[], None), image("sha256:b", &[], Some(10)), image("sha256:c", &[], Some(20))];
        sort_newest_first(&mut images);
        let order: Vec<&str> = images.iter().map(|i| i.digest.as_str()).collect();
        assert_eq!(order, ["sha256:c", "sha256:b", "sha256:a"]);
    }

    #[test]
    fn the_cli_carries_only_the_catalog_fields_given() {
        assert_eq!(
            create_cli("tools", &PublicCatalog::default()),
            "aws ecr-public create-repository --region us-east-1 --repository-name tools"
        );
        let catalog = PublicCatalog {
            description: Some("It's small".into()),
            architectures: vec!["x86-64".into()],
            operating_systems: vec!["Linux".into()],
            ..PublicCatalog::default()
        };
        let cli = create_cli("tools", &catalog);
        assert!(review(Some("b"), "Tools", &catalog).problems.len() == 1);
        assert_eq!(review(Some("b"), "tools", &catalog).uri, "public.ecr.aws/b/tools");
        assert!(cli.contains(r#"--catalog-data '{"description":"It'\''s small","architectures":["x86-64"],"operatingSystems":["Linux"]}'"#), "{cli}");
    }
}
