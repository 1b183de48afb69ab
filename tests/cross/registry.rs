//! Cross-crate: the registry half of ECR through `berth registry …` and `berth images
//! archive|restore|replication`, each change read back by a client Berth did not write — the
//! AWS CLI (v1, pinned, `scripts/install`) — and, where images move, by the docker CLI.
//!
//! The registry-wide settings are one per account and region, so the tests that change them
//! take turns (`REGISTRY`) and put back what they found.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{ensure, Context, Result};
use berth_tests::{bin, eventually, root, sandbox_var};
use serde_json::Value;

static REGISTRY: Mutex<()> = Mutex::new(());

fn take_turn() -> std::sync::MutexGuard<'static, ()> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

fn nonce() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_nanos()
}

fn scratch(name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("berth-registry-{name}-{}-{}", std::process::id(), nonce()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// `berth ARGS` with stdin from `input`; its output, or an error with its stderr. With
/// `log`, it logs at trace level and its stderr (the log) is written there.
fn berth_with(args: &[&str], input: Option<&str>, log: Option<&Path>) -> Result<String> {
    let mut c = Command::new(bin("berth"));
    c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if log.is_some() {
        c.env("BERTH_LOG", "trace");
    }
    let mut child = c.spawn().with_context(|| format!("run berth {args:?}"))?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().context("stdin")?;
        if let Some(text) = input {
            stdin.write_all(text.as_bytes())?;
        }
    }
    let out = child.wait_with_output()?;
    if let Some(log) = log {
        std::fs::write(log, &out.stderr)?;
    }
    ensure!(out.status.success(), "berth {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn berth(args: &[&str]) -> Result<String> {
    berth_with(args, None, None)
}

fn berth_json(args: &[&str]) -> Result<Value> {
    let mut all = args.to_vec();
    all.push("--json");
    let out = berth(&all)?;
    serde_json::from_str(&out).with_context(|| format!("berth {args:?} printed no JSON: {out}"))
}

/// The AWS CLI on the sandbox, in `region`; its JSON answer.
fn aws(region: &str, args: &[&str]) -> Result<Value> {
    let cli = std::env::var_os("BERTH_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/tools"))
        .join("awscli-venv/bin/aws");
    ensure!(cli.exists(), "the AWS CLI is not installed at {}: run `make deps`", cli.display());
    let out = Command::new(&cli)
        .args(args)
        .args(["--region", region, "--endpoint-url", &sandbox_var("AWS_ENDPOINT_URL"), "--output", "json"])
        .output()?;
    ensure!(out.status.success(), "aws {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).with_context(|| format!("aws {args:?} printed no JSON: {text}"))
}

/// A docker CLI logged in to `registry` with the token of `region`.
struct Docker {
    config: PathBuf,
}

impl Docker {
    async fn login(registry: &str, region: &str) -> Result<Docker> {
        let config = scratch("docker")?;
        let mut settings = berth_aws::ConnectionSettings::from_env();
        settings.region = Some(region.to_string());
        let aws = berth_aws::Aws::connect(settings).await?;
        let creds = aws.registry_credentials().await?;
        let docker = Docker { config };
        let mut login = docker.cmd();
        login.args(["login", "-u", &creds.username, "--password-stdin", registry]);
        login.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped());
        let mut child = login.spawn()?;
        std::io::Write::write_all(child.stdin.as_mut().context("stdin")?, creds.password.expose().as_bytes())?;
        let out = child.wait_with_output()?;
        ensure!(out.status.success(), "docker login {registry}: {}", String::from_utf8_lossy(&out.stderr));
        Ok(docker)
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new("docker");
        c.env("DOCKER_CONFIG", &self.config).env("DOCKER_BUILDKIT", "0");
        c
    }

    fn run(&self, args: &[&str]) -> Result<String> {
        let out = self.cmd().args(args).output()?;
        ensure!(out.status.success(), "docker {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn fails(&self, args: &[&str]) -> Result<String> {
        let out = self.cmd().args(args).output()?;
        ensure!(!out.status.success(), "docker {args:?} should have failed");
        Ok(String::from_utf8_lossy(&out.stderr).into_owned())
    }

    /// Build a one-layer image of unique content and push it to `target`; its digest.
    fn push_unique(&self, target: &str) -> Result<String> {
        let ctx = scratch("ctx")?;
        std::fs::write(ctx.join("unique.txt"), format!("berth registry test {}\n", nonce()))?;
        std::fs::write(ctx.join("Dockerfile"), "FROM scratch\nCOPY unique.txt /unique.txt\n")?;
        self.run(&["build", "-q", "-t", target, ctx.to_str().context("path")?])?;
        let pushed = self.run(&["push", target]);
        let _ = self.run(&["rmi", target]);
        let _ = std::fs::remove_dir_all(&ctx);
        let pushed = pushed?;
        Ok(pushed.split_whitespace().find(|w| w.starts_with("sha256:")).context("no digest printed")?.to_string())
    }
}

impl Drop for Docker {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.config);
    }
}

fn region() -> String {
    sandbox_var("AWS_REGION")
}

#[test]
fn registry_show_has_every_part_in_one_object() -> Result<()> {
    let _turn = take_turn();
    let shown = berth_json(&["registry", "show"])?;
    for key in ["replication", "pull_through_cache", "templates", "scanning", "policy", "settings"] {
        ensure!(shown.get(key).is_some(), "`registry show --json` has no {key}: {shown}");
    }
    // The seeded rules, as the AWS CLI reads them.
    let registry = aws(&region(), &["ecr", "describe-registry"])?;
    ensure!(
        shown["replication"]["rules"] == registry["replicationConfiguration"]["rules"],
        "berth {} vs aws {}",
        shown["replication"],
        registry["replicationConfiguration"]
    );
    let rules = aws(&region(), &["ecr", "describe-pull-through-cache-rules"])?;
    let prefixes: Vec<&str> = rules["pullThroughCacheRules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["ecrRepositoryPrefix"].as_str())
        .collect();
    ensure!(prefixes.contains(&"docker-hub"), "the seeded docker-hub rule: {rules}");
    Ok(())
}

#[test]
fn replication_rules_set_from_a_file_are_what_ecr_stores_and_a_bad_file_changes_nothing() -> Result<()> {
    let _turn = take_turn();
    let region = region();
    let before = aws(&region, &["ecr", "describe-registry"])?["replicationConfiguration"].clone();
    let dir = scratch("replication")?;
    let file = dir.join("rules.json");
    let rules = serde_json::json!({"rules": [
        {"destinations": [{"region": "us-west-2", "registryId": "000000000000"}],
         "repositoryFilters": [{"filter": "api/", "filterType": "PREFIX_MATCH"}]},
        {"destinations": [{"region": "eu-west-1", "registryId": "000000000000"},
                          {"region": "us-west-2", "registryId": "111122223333"}],
         "repositoryFilters": [{"filter": "web", "filterType": "PREFIX_MATCH"}]}
    ]});
    std::fs::write(&file, rules.to_string())?;
    let outcome = (|| -> Result<()> {
        berth(&["registry", "replication", "set", "--file", file.to_str().context("path")?])?;
        let stored = aws(&region, &["ecr", "describe-registry"])?;
        ensure!(stored["replicationConfiguration"] == rules, "ECR stores {stored}, berth set {rules}");

        // A misspelt key is refused by name, and what ECR holds stays as it was.
        std::fs::write(&file, r#"{"rules": [{"destinatons": []}]}"#)?;
        let out = Command::new(bin("berth"))
            .args(["registry", "replication", "set", "--file", file.to_str().context("path")?])
            .output()?;
        ensure!(out.status.code() == Some(2), "a bad file exits 2: {:?}", out.status);
        let err = String::from_utf8_lossy(&out.stderr);
        ensure!(err.contains("destinatons"), "the message names the unknown key: {err}");
        let still = aws(&region, &["ecr", "describe-registry"])?;
        ensure!(still["replicationConfiguration"] == rules, "a refused file changed the rules: {still}");

        // Past ECR's limit of 10 rules: refused before any call, naming the field.
        let many: Vec<Value> = (0..11)
            .map(|i| serde_json::json!({"destinations": [{"region": "us-west-2", "registryId": "000000000000"}],
                                          "repositoryFilters": [{"filter": format!("p{i}"), "filterType": "PREFIX_MATCH"}]}))
            .collect();
        std::fs::write(&file, serde_json::json!({ "rules": many }).to_string())?;
        let out = Command::new(bin("berth"))
            .args(["registry", "replication", "set", "--file", file.to_str().context("path")?])
            .output()?;
        ensure!(out.status.code() == Some(2), "11 rules exit 2: {:?}", out.status);
        ensure!(String::from_utf8_lossy(&out.stderr).contains("10"), "{}", String::from_utf8_lossy(&out.stderr));
        Ok(())
    })();
    // Put back the seeded rules whatever happened.
    std::fs::write(&file, before.to_string())?;
    berth(&["registry", "replication", "set", "--file", file.to_str().context("path")?])?;
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

#[tokio::test]
async fn a_push_under_a_replication_rule_reaches_the_other_region_with_the_same_digest() -> Result<()> {
    let east = sandbox_var("SANDBOX_REGISTRY_US_EAST_1");
    let west = sandbox_var("SANDBOX_REGISTRY_US_WEST_2");
    // The seeded rule copies api/ from us-east-1 to us-west-2.
    let docker = Docker::login(&east, "us-east-1").await?;
    let tag = format!("repl-{}", nonce());
    let digest = docker.push_unique(&format!("{east}/api/orders:{tag}"))?;

    let statuses = eventually("replication COMPLETE", Duration::from_secs(60), || async {
        let out = berth_json(&["images", "replication", "api/orders", &tag])?;
        let done =
            out.as_array().is_some_and(|a| a.iter().any(|s| s["region"] == "us-west-2" && s["status"] == "COMPLETE"));
        Ok(done.then_some(out))
    })
    .await?;
    ensure!(statuses.as_array().is_some_and(|a| a.len() == 1), "one destination: {statuses}");
    let by_aws = aws(
        "us-east-1",
        &[
            "ecr",
            "describe-image-replication-status",
            "--repository-name",
            "api/orders",
            "--image-id",
            &format!("imageTag={tag}"),
        ],
    )?;
    ensure!(by_aws["replicationStatuses"][0]["status"] == "COMPLETE", "{by_aws}");

    // The destination region's ECR lists the same digest, and its registry serves it.
    let listed = aws(
        "us-west-2",
        &["ecr", "describe-images", "--repository-name", "api/orders", "--image-ids", &format!("imageTag={tag}")],
    )?;
    ensure!(listed["imageDetails"][0]["imageDigest"] == digest.as_str(), "us-west-2 has {listed}, pushed {digest}");
    let west_docker = Docker::login(&west, "us-west-2").await?;
    west_docker.run(&["pull", "-q", &format!("{west}/api/orders@{digest}")])?;
    let _ = west_docker.run(&["rmi", &format!("{west}/api/orders@{digest}")]);
    Ok(())
}

#[tokio::test]
async fn a_pull_through_rule_with_a_typed_token_caches_docker_hub_images() -> Result<()> {
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let prefix = format!("hub{}", nonce() % 1_000_000);
    let token = format!("dckr_pat_berthtest{}", nonce());
    let dir = scratch("ptc")?;
    let log = dir.join("berth.log");
    let outcome = async {
        {
            let _turn = take_turn();
            berth_with(
                &[
                    "registry",
                    "pull-through",
                    "add",
                    &prefix,
                    "--upstream",
                    "registry-1.docker.io",
                    "--username",
                    "berth",
                ],
                Some(&format!("{token}\n")),
                Some(&log),
            )?;
        }
        // ECR holds the rule with a secret named as ECR requires; the token is the secret's.
        let rules =
            aws(&region(), &["ecr", "describe-pull-through-cache-rules", "--ecr-repository-prefixes", &prefix])?;
        let rule = &rules["pullThroughCacheRules"][0];
        ensure!(rule["upstreamRegistryUrl"] == "registry-1.docker.io", "{rules}");
        let arn = rule["credentialArn"].as_str().context("no credential")?.to_string();
        let secret = aws(&region(), &["secretsmanager", "get-secret-value", "--secret-id", &arn])?;
        ensure!(
            secret["Name"].as_str().is_some_and(|n| n.starts_with("ecr-pullthroughcache/")),
            "secret name: {}",
            secret["Name"]
        );
        ensure!(secret["SecretString"].as_str().is_some_and(|s| s.contains(&token)), "the token is in the secret");
        let logged = std::fs::read_to_string(&log).unwrap_or_default();
        ensure!(!logged.is_empty(), "trace log written");
        ensure!(!logged.contains(&token), "the token is in berth's trace log");

        let valid = berth_json(&["registry", "pull-through", "validate", &prefix])?;
        ensure!(valid["is_valid"] == true, "{valid}");

        // docker pull through the cache: the repository appears, with the image.
        let docker = Docker::login(&registry, "us-east-1").await?;
        let image = format!("{registry}/{prefix}/library/alpine:3");
        docker.run(&["pull", "-q", &image])?;
        let _ = docker.run(&["rmi", &image]);
        let repos = aws(
            &region(),
            &["ecr", "describe-repositories", "--repository-names", &format!("{prefix}/library/alpine")],
        )?;
        ensure!(repos["repositories"][0]["repositoryName"] == format!("{prefix}/library/alpine").as_str(), "{repos}");
        let images = aws(
            &region(),
            &[
                "ecr",
                "describe-images",
                "--repository-name",
                &format!("{prefix}/library/alpine"),
                "--image-ids",
                "imageTag=3",
            ],
        )?;
        ensure!(images["imageDetails"][0]["imageDigest"].is_string(), "{images}");
        docker.run(&["pull", "-q", &image])?;
        let _ = docker.run(&["rmi", &image]);

        // Removed (its secret stays) and added again with a new token: Berth's secret of that
        // prefix takes it (ECR refuses a second secret of the same name).
        berth(&["registry", "pull-through", "remove", &prefix, "--yes"])?;
        {
            let _turn = take_turn();
            berth_with(
                &[
                    "registry",
                    "pull-through",
                    "add",
                    &prefix,
                    "--upstream",
                    "registry-1.docker.io",
                    "--username",
                    "berth",
                ],
                Some(&format!("{token}-2\n")),
                None,
            )?;
        }
        let valid = berth_json(&["registry", "pull-through", "validate", &prefix])?;
        ensure!(valid["is_valid"] == true, "added again: {valid}");
        let rules =
            aws(&region(), &["ecr", "describe-pull-through-cache-rules", "--ecr-repository-prefixes", &prefix])?;
        ensure!(rules["pullThroughCacheRules"][0]["credentialArn"] == arn.as_str(), "the same secret: {rules}");
        let secret = aws(&region(), &["secretsmanager", "get-secret-value", "--secret-id", &arn])?;
        ensure!(
            secret["SecretString"].as_str().is_some_and(|s| s.contains(&format!("{token}-2"))),
            "the new token is the secret's"
        );

        // Its credential changed to another existing secret (UpdatePullThroughCacheRule).
        let other = aws(
            &region(),
            &[
                "secretsmanager",
                "create-secret",
                "--name",
                &format!("ecr-pullthroughcache/{prefix}-other"),
                "--secret-string",
                r#"{"username":"other","accessToken":"other-token"}"#,
            ],
        )?["ARN"]
            .as_str()
            .context("no ARN")?
            .to_string();
        {
            let _turn = take_turn();
            berth(&["registry", "pull-through", "update", &prefix, "--credential-arn", &other])?;
        }
        let rules =
            aws(&region(), &["ecr", "describe-pull-through-cache-rules", "--ecr-repository-prefixes", &prefix])?;
        ensure!(rules["pullThroughCacheRules"][0]["credentialArn"] == other.as_str(), "changed: {rules}");
        // A secret ECR cannot read (not ecr-pullthroughcache/…) is refused before any call.
        let out = Command::new(bin("berth"))
            .args([
                "registry",
                "pull-through",
                "update",
                &prefix,
                "--credential-arn",
                "arn:aws:secretsmanager:us-east-1:000000000000:secret:mine-AbC",
            ])
            .output()?;
        ensure!(out.status.code() == Some(2), "{:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
        // Back to Berth's secret of the prefix, for what follows.
        berth(&["registry", "pull-through", "update", &prefix, "--credential-arn", &arn])?;
        let _ = aws(
            &region(),
            &["secretsmanager", "delete-secret", "--secret-id", &other, "--force-delete-without-recovery"],
        );

        // The secret gone, ECR says the rule is no longer valid.
        aws(&region(), &["secretsmanager", "delete-secret", "--secret-id", &arn, "--force-delete-without-recovery"])?;
        // It prints ECR's answer, and exits non-zero (a script's check fails).
        let out =
            Command::new(bin("berth")).args(["registry", "pull-through", "validate", &prefix, "--json"]).output()?;
        ensure!(out.status.code() == Some(1), "an invalid rule exits 1: {:?}", out.status);
        let invalid: Value = serde_json::from_slice(&out.stdout)?;
        ensure!(invalid["is_valid"] == false && invalid["failure"].is_string(), "{invalid}");

        Ok(())
    }
    .await;
    let _ = berth(&["registry", "pull-through", "remove", &prefix, "--yes"]);
    let _ = aws(
        &region(),
        &["ecr", "delete-repository", "--repository-name", &format!("{prefix}/library/alpine"), "--force"],
    );
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

#[tokio::test]
async fn create_on_push_uses_the_template_and_an_unknown_repository_is_refused() -> Result<()> {
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let prefix = format!("cop{}", nonce() % 1_000_000);
    let outcome = async {
        {
            let _turn = take_turn();
            berth(&[
                "registry",
                "templates",
                "add",
                &prefix,
                "--applied-for",
                "CREATE_ON_PUSH",
                "--immutable",
                "--tag",
                "team=ci",
                "--description",
                "first version",
            ])?;
        }
        let templates = aws(&region(), &["ecr", "describe-repository-creation-templates", "--prefixes", &prefix])?;
        let t = &templates["repositoryCreationTemplates"][0];
        ensure!(
            t["imageTagMutability"] == "IMMUTABLE" && t["appliedFor"] == serde_json::json!(["CREATE_ON_PUSH"]),
            "{templates}"
        );

        let docker = Docker::login(&registry, "us-east-1").await?;
        let name = format!("{prefix}/service");
        docker.push_unique(&format!("{registry}/{name}:1"))?;
        let repos = aws(&region(), &["ecr", "describe-repositories", "--repository-names", &name])?;
        let repo = &repos["repositories"][0];
        ensure!(repo["imageTagMutability"] == "IMMUTABLE", "the template's mutability: {repo}");
        let tags = aws(
            &region(),
            &["ecr", "list-tags-for-resource", "--resource-arn", repo["repositoryArn"].as_str().unwrap_or("")],
        )?;
        ensure!(tags["tags"] == serde_json::json!([{"Key": "team", "Value": "ci"}]), "{tags}");

        // Added again: the template is replaced as a whole (the description goes too).
        {
            let _turn = take_turn();
            berth(&["registry", "templates", "add", &prefix, "--applied-for", "CREATE_ON_PUSH,REPLICATION"])?;
        }
        let again = aws(&region(), &["ecr", "describe-repository-creation-templates", "--prefixes", &prefix])?;
        let t = &again["repositoryCreationTemplates"][0];
        ensure!(t["imageTagMutability"] == "MUTABLE" && t.get("description").is_none(), "replaced: {again}");
        ensure!(t["resourceTags"].as_array().is_none_or(|a| a.is_empty()), "replaced: {again}");

        // Outside any template: refused as ECR refuses it, and nothing is created.
        let unknown = format!("nowhere{}/service", nonce() % 1_000_000);
        let ctx = scratch("unknown")?;
        std::fs::write(ctx.join("f"), "x")?;
        std::fs::write(ctx.join("Dockerfile"), "FROM scratch\nCOPY f /f\n")?;
        let target = format!("{registry}/{unknown}:1");
        docker.run(&["build", "-q", "-t", &target, ctx.to_str().context("path")?])?;
        let err = docker.fails(&["push", &target])?;
        let _ = docker.run(&["rmi", &target]);
        ensure!(err.contains("does not exist") || err.contains("name unknown"), "{err}");
        let listed = berth_json(&["repos", "list"])?;
        ensure!(!listed.to_string().contains(&unknown), "a refused push created {unknown}");
        Ok(())
    }
    .await;
    let _ = berth(&["registry", "templates", "remove", &prefix, "--yes"]);
    let _ = aws(&region(), &["ecr", "delete-repository", "--repository-name", &format!("{prefix}/service"), "--force"]);
    outcome
}

#[tokio::test]
async fn archive_then_restore_an_image() -> Result<()> {
    let registry = sandbox_var("SANDBOX_REGISTRY");
    let docker = Docker::login(&registry, "us-east-1").await?;
    let tag = format!("arch-{}", nonce());
    let digest = docker.push_unique(&format!("{registry}/web:{tag}"))?;

    // Without --yes and no terminal: refused, nothing changes.
    let out = Command::new(bin("berth")).args(["images", "archive", "web", &tag]).stdin(Stdio::null()).output()?;
    ensure!(out.status.code() == Some(2), "unconfirmed archive exits 2: {:?}", out.status);
    // A second tag of the same image (PutImage with its manifest, as ECR retags).
    let got = aws(
        &region(),
        &["ecr", "batch-get-image", "--repository-name", "web", "--image-ids", &format!("imageTag={tag}")],
    )?;
    let manifest = got["images"][0]["imageManifest"].as_str().context("no manifest")?.to_string();
    let alias = format!("{tag}-alias");
    aws(
        &region(),
        &["ecr", "put-image", "--repository-name", "web", "--image-tag", &alias, "--image-manifest", &manifest],
    )?;
    // Both tags name one image: archived once, the other reported as the same image.
    let changes = berth_json(&["images", "archive", "web", &tag, &alias, "--yes"])?;
    ensure!(changes[0]["status"] == "ARCHIVED" && changes[0]["error"].is_null(), "{changes}");
    ensure!(
        changes[1]["error"].is_null() && changes[1]["note"].as_str().is_some_and(|n| n.contains("same image")),
        "{changes}"
    );
    // Archiving it again: nothing to do, and not a failure.
    let again = berth_json(&["images", "archive", "web", &tag, "--yes"])?;
    ensure!(again[0]["note"].as_str().is_some_and(|n| n.contains("already archived")), "{again}");
    let status_by_aws = || -> Result<Value> {
        let d = aws(
            &region(),
            &[
                "ecr",
                "describe-images",
                "--repository-name",
                "web",
                "--image-ids",
                &format!("imageDigest={digest}"),
                "--filter",
                "imageStatus=ANY",
            ],
        )?;
        Ok(d["imageDetails"][0]["imageStatus"].clone())
    };
    let described = status_by_aws()?;
    ensure!(described == "ARCHIVED", "{described}");
    // Berth lists it, with its status; the registry will not serve it.
    let listed = berth_json(&["images", "list", "web"])?;
    let row = listed
        .as_array()
        .and_then(|a| a.iter().find(|i| i["digest"] == digest.as_str()).cloned())
        .context("archived image not listed")?;
    ensure!(row["status"] == "ARCHIVED" && row["last_archived_at"].is_string(), "{row}");
    let refused = docker.fails(&["pull", "-q", &format!("{registry}/web@{digest}")])?;
    ensure!(refused.contains("archived") || refused.contains("manifest unknown"), "{refused}");
    // Reading it says it is archived and how to restore it.
    let out = Command::new(bin("berth")).args(["inspect", &format!("web:{tag}")]).output()?;
    let said = String::from_utf8_lossy(&out.stderr);
    ensure!(!out.status.success() && said.contains("is archived") && said.contains("berth images restore"), "{said}");

    berth(&["images", "restore", "web", &tag])?;
    eventually("the image ACTIVE again", Duration::from_secs(30), || async {
        Ok((status_by_aws()? == "ACTIVE").then_some(()))
    })
    .await?;
    docker.run(&["pull", "-q", &format!("{registry}/web@{digest}")])?;
    let _ = docker.run(&["rmi", &format!("{registry}/web@{digest}")]);
    // Restoring an active image: nothing to do, said so.
    let active = berth_json(&["images", "restore", "web", &tag])?;
    ensure!(active[0]["note"].as_str().is_some_and(|n| n.contains("already active")), "{active}");
    // An image that does not exist: a failure naming it.
    let out = Command::new(bin("berth")).args(["images", "archive", "web", "no-such-tag-here", "--yes"]).output()?;
    ensure!(out.status.code() == Some(1), "{:?}", out.status);
    ensure!(
        String::from_utf8_lossy(&out.stderr).contains("no-such-tag-here"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

#[test]
fn scanning_policy_and_settings_are_what_the_aws_cli_reads() -> Result<()> {
    let _turn = take_turn();
    let region = region();
    let before = aws(&region, &["ecr", "get-registry-scanning-configuration"])?["scanningConfiguration"].clone();
    let outcome = (|| -> Result<()> {
        berth(&[
            "registry",
            "scanning",
            "set",
            "--type",
            "ENHANCED",
            "--rule",
            "SCAN_ON_PUSH:api/*",
            "--rule",
            "CONTINUOUS_SCAN:web",
        ])?;
        let got = aws(&region, &["ecr", "get-registry-scanning-configuration"])?;
        let cfg = &got["scanningConfiguration"];
        ensure!(cfg["scanType"] == "ENHANCED", "{got}");
        let freqs: Vec<&str> =
            cfg["rules"].as_array().into_iter().flatten().filter_map(|r| r["scanFrequency"].as_str()).collect();
        ensure!(freqs.contains(&"SCAN_ON_PUSH") && freqs.contains(&"CONTINUOUS_SCAN"), "{got}");
        let shown = berth_json(&["registry", "scanning", "show"])?;
        let web = shown["coverage"].as_array().into_iter().flatten().find(|c| c["repository"] == "web").cloned();
        ensure!(web.is_some_and(|w| w["frequency"] == "CONTINUOUS_SCAN"), "coverage of web: {shown}");

        let dir = scratch("policy")?;
        let file = dir.join("policy.json");
        let policy = serde_json::json!({"Version": "2012-10-17", "Statement": [{"Sid": "Replication", "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
            "Resource": format!("arn:aws:ecr:{region}:000000000000:repository/*")}]});
        std::fs::write(&file, policy.to_string())?;
        berth(&["registry", "policy", "set", file.to_str().context("path")?])?;
        let stored = aws(&region, &["ecr", "get-registry-policy"])?;
        let text: Value = serde_json::from_str(stored["policyText"].as_str().context("no policy")?)?;
        ensure!(text["Statement"][0]["Sid"] == "Replication", "{stored}");
        berth(&["registry", "policy", "clear", "--yes"])?;
        let gone = aws(&region, &["ecr", "get-registry-policy"]).unwrap_err().to_string();
        ensure!(gone.contains("RegistryPolicyNotFoundException"), "the policy is still there: {gone}");
        let _ = std::fs::remove_dir_all(&dir);

        berth(&["registry", "settings", "set", "BASIC_SCAN_TYPE_VERSION", "AWS_NATIVE"])?;
        let setting = aws(&region, &["ecr", "get-account-setting", "--name", "BASIC_SCAN_TYPE_VERSION"])?;
        ensure!(setting["value"] == "AWS_NATIVE", "{setting}");
        let out =
            Command::new(bin("berth")).args(["registry", "settings", "set", "BLOB_MOUNTING", "SOMETIMES"]).output()?;
        ensure!(out.status.code() == Some(2), "a value ECR does not accept exits 2");
        ensure!(String::from_utf8_lossy(&out.stderr).contains("ENABLED"), "the message lists the values");
        Ok(())
    })();
    // Put back the seeded scanning configuration.
    let _ = aws(
        &region,
        &[
            "ecr",
            "put-registry-scanning-configuration",
            "--scan-type",
            before["scanType"].as_str().unwrap_or("BASIC"),
            "--rules",
            &before["rules"].to_string(),
        ],
    );
    outcome
}
