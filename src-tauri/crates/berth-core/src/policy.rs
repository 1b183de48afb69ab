//! Repository creation helpers: validation of the whole spec field by field, templates for
//! lifecycle and repository policies, policies explained in words, and the equivalent AWS CLI.

use serde_json::{json, Value};

use crate::model::{FieldProblem, RepositorySpec, TagMutability};
use crate::validate;

fn problem(out: &mut Vec<FieldProblem>, field: &str, message: impl Into<String>) {
    out.push(FieldProblem { field: field.into(), message: message.into() });
}

/// Every problem of the spec that can be known without asking AWS.
pub fn check_spec(spec: &RepositorySpec) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    if let Err(e) = validate::repository_name(&spec.name) {
        problem(&mut out, "name", e.message);
    }
    let exclusions_allowed =
        matches!(spec.tag_mutability, TagMutability::MutableWithExclusion | TagMutability::ImmutableWithExclusion);
    if !exclusions_allowed && !spec.mutability_exclusions.is_empty() {
        problem(&mut out, "mutability_exclusions", "Exclusions apply only to the “with exclusions” modes.");
    }
    if exclusions_allowed && spec.mutability_exclusions.is_empty() {
        problem(&mut out, "mutability_exclusions", "Add at least one tag filter, such as latest or dev-*.");
    }
    if spec.mutability_exclusions.len() > 5 {
        problem(&mut out, "mutability_exclusions", "At most 5 filters.");
    }
    for f in &spec.mutability_exclusions {
        if f.is_empty() || f.len() > 128 || !f.chars().all(|c| c.is_ascii_alphanumeric() || "._-*".contains(c)) {
            problem(
                &mut out,
                "mutability_exclusions",
                format!("“{f}”: 1–128 letters, digits, “.”, “_”, “-” and “*” wildcards."),
            );
        }
    }
    match spec.encryption.as_str() {
        "AES256" => {
            if spec.kms_key.is_some() {
                problem(&mut out, "kms_key", "A KMS key goes with KMS encryption only.");
            }
        }
        "KMS" => {
            if let Some(key) = spec.kms_key.as_deref() {
                let ok = key.starts_with("arn:aws") && key.contains(":kms:")
                    || key.starts_with("alias/") && key.len() > 6
                    || key.len() == 36 && key.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
                if !ok {
                    problem(&mut out, "kms_key", "A key ARN, a key id or an alias/NAME.");
                }
            }
        }
        other => problem(&mut out, "encryption", format!("“{other}” is not AES256 or KMS.")),
    }
    if let Some(text) = &spec.lifecycle_policy {
        if let Err(message) = check_lifecycle_json(text) {
            problem(&mut out, "lifecycle_policy", message);
        }
    }
    if let Some(text) = &spec.repository_policy {
        if let Err(message) = check_policy_json(text) {
            problem(&mut out, "repository_policy", message);
        }
    }
    if spec.tags.len() > 50 {
        problem(&mut out, "tags", "At most 50 tags.");
    }
    let mut seen = std::collections::BTreeSet::new();
    for t in &spec.tags {
        if t.key.is_empty() || t.key.chars().count() > 128 {
            problem(&mut out, "tags", format!("Tag key “{}”: 1 to 128 characters.", t.key));
        } else if t.key.to_lowercase().starts_with("aws:") {
            problem(&mut out, "tags", format!("Tag key “{}”: the aws: prefix is reserved.", t.key));
        } else if !seen.insert(t.key.clone()) {
            problem(&mut out, "tags", format!("Tag key “{}” appears twice.", t.key));
        }
        if t.value.chars().count() > 256 {
            problem(&mut out, "tags", format!("The value of “{}” has more than 256 characters.", t.key));
        }
    }
    out
}

fn json_error(what: &str, e: &serde_json::Error) -> String {
    format!("{what} is not valid JSON: {e} (line {}, column {}).", e.line(), e.column())
}

/// A lifecycle policy's shape: a JSON object with a non-empty `rules` array.
/// (The lifecycle studio validates every rule.)
pub fn check_lifecycle_json(text: &str) -> Result<(), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| json_error("The lifecycle policy", &e))?;
    let rules = v.get("rules").and_then(Value::as_array).ok_or("A lifecycle policy needs a “rules” array.")?;
    if rules.is_empty() {
        return Err("The lifecycle policy has no rules.".into());
    }
    if text.len() < 100 || text.len() > 30_720 {
        return Err(format!("A lifecycle policy has 100 to 30,720 characters; this one has {}.", text.len()));
    }
    Ok(())
}

/// A repository policy's shape: a JSON object with a non-empty `Statement`.
pub fn check_policy_json(text: &str) -> Result<(), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| json_error("The repository policy", &e))?;
    let statements = statements(&v);
    if statements.is_empty() {
        return Err("A repository policy needs a “Statement” (one or a list).".into());
    }
    for s in statements {
        if !matches!(s.get("Effect").and_then(Value::as_str), Some("Allow" | "Deny")) {
            return Err("Every statement needs an “Effect” of Allow or Deny.".into());
        }
        if s.get("Principal").is_none() {
            return Err("Every statement of a repository policy needs a “Principal”.".into());
        }
        if s.get("Action").is_none() {
            return Err("Every statement needs an “Action”.".into());
        }
    }
    if text.len() > 10_240 {
        return Err("A repository policy has at most 10,240 characters.".into());
    }
    Ok(())
}

fn statements(v: &Value) -> Vec<&Value> {
    match v.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(o @ Value::Object(_)) => vec![o],
        _ => Vec::new(),
    }
}

fn as_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

fn principal_in_words(p: &str) -> String {
    if p == "*" {
        return "anyone".into();
    }
    if p.chars().all(|c| c.is_ascii_digit()) && p.len() == 12 {
        return format!("account {p}");
    }
    if let Some(rest) = p.strip_prefix("arn:aws:iam::") {
        let (account, what) = rest.split_once(':').unwrap_or((rest, ""));
        return match what {
            "root" => format!("account {account}"),
            w if w.starts_with("role/") => format!("role {} of account {account}", &w[5..]),
            w if w.starts_with("user/") => format!("user {} of account {account}", &w[5..]),
            w => format!("{w} of account {account}"),
        };
    }
    p.to_string()
}

fn actions_in_words(actions: &[String]) -> String {
    let has = |a: &str| actions.iter().any(|x| x == a || x == "ecr:*" || x == "*");
    let mut words = Vec::new();
    if has("ecr:BatchGetImage") && has("ecr:GetDownloadUrlForLayer") {
        words.push("pull".to_string());
    }
    if has("ecr:PutImage") && has("ecr:UploadLayerPart") {
        words.push("push".to_string());
    }
    if actions.iter().any(|x| x == "ecr:*" || x == "*") {
        return "do anything with".into();
    }
    if words.is_empty() {
        actions.join(", ")
    } else {
        words.join(" and ")
    }
}

/// Each statement of a repository policy in words: "Allow account 111122223333 to pull".
pub fn describe_policy(text: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    statements(&v)
        .into_iter()
        .map(|s| {
            let effect = s.get("Effect").and_then(Value::as_str).unwrap_or("?");
            let mut who = Vec::new();
            match s.get("Principal") {
                Some(Value::String(p)) => who.push(principal_in_words(p)),
                Some(Value::Object(m)) => {
                    for (kind, v) in m {
                        for p in as_list(Some(v)) {
                            who.push(match kind.as_str() {
                                "Service" => format!("the service {p}"),
                                _ => principal_in_words(&p),
                            });
                        }
                    }
                }
                _ => {}
            }
            let actions = as_list(s.get("Action"));
            let verb = if effect == "Deny" { "Deny" } else { "Allow" };
            format!("{verb} {} to {}", who.join(", "), actions_in_words(&actions))
        })
        .collect()
}

const PULL_ACTIONS: [&str; 3] = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const PUSH_ACTIONS: [&str; 5] = [
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
    "ecr:BatchCheckLayerAvailability",
];

/// Repository policy templates.
pub fn policy_allow_pull_from_accounts(accounts: &[String]) -> String {
    let principals: Vec<String> = accounts.iter().map(|a| format!("arn:aws:iam::{a}:root")).collect();
    pretty(json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "AllowPullFromAccounts", "Effect": "Allow", "Principal": {"AWS": principals}, "Action": PULL_ACTIONS}]
    }))
}

pub fn policy_allow_push_from_role(role_arn: &str) -> String {
    let mut actions: Vec<&str> = PULL_ACTIONS.to_vec();
    actions.extend(PUSH_ACTIONS.iter().filter(|a| !PULL_ACTIONS.contains(a)));
    pretty(json!({
        "Version": "2012-10-17",
        "Statement": [{"Sid": "AllowPushFromCiRole", "Effect": "Allow", "Principal": {"AWS": role_arn}, "Action": actions}]
    }))
}

pub fn policy_allow_lambda_pull(account: &str) -> String {
    pretty(json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "LambdaECRImageRetrievalPolicy",
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Condition": {"StringLike": {"aws:sourceArn": format!("arn:aws:lambda:*:{account}:function:*")}}
        }]
    }))
}

/// The JSON of a template.
pub fn render(template: &crate::model::PolicyTemplate) -> String {
    use crate::model::PolicyTemplate as T;
    match template {
        T::KeepLastTagged { count } => lifecycle_keep_last_tagged(*count),
        T::ExpireUntagged { days } => lifecycle_expire_untagged(*days),
        T::KeepReleaseTags { pattern, count, untagged_days } => {
            lifecycle_keep_release_tags(pattern, *count, *untagged_days)
        }
        T::AllowPullFromAccounts { accounts } => policy_allow_pull_from_accounts(accounts),
        T::AllowPushFromRole { role_arn } => policy_allow_push_from_role(role_arn),
        T::AllowLambdaPull { account } => policy_allow_lambda_pull(account),
    }
}

/// Lifecycle policy templates.
pub fn lifecycle_keep_last_tagged(count: u32) -> String {
    pretty(json!({"rules": [{
        "rulePriority": 1,
        "description": format!("Keep the newest {count} tagged images"),
        "selection": {"tagStatus": "tagged", "tagPatternList": ["*"], "countType": "imageCountMoreThan", "countNumber": count},
        "action": {"type": "expire"}
    }]}))
}

pub fn lifecycle_expire_untagged(days: u32) -> String {
    pretty(json!({"rules": [{
        "rulePriority": 1,
        "description": format!("Expire untagged images after {days} days"),
        "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": days},
        "action": {"type": "expire"}
    }]}))
}

pub fn lifecycle_keep_release_tags(pattern: &str, count: u32, untagged_days: u32) -> String {
    pretty(json!({"rules": [
        {
            "rulePriority": 1,
            "description": format!("Expire untagged images after {untagged_days} days"),
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": untagged_days},
            "action": {"type": "expire"}
        },
        {
            "rulePriority": 2,
            "description": format!("Keep the newest {count} images tagged {pattern}"),
            "selection": {"tagStatus": "tagged", "tagPatternList": [pattern], "countType": "imageCountMoreThan", "countNumber": count},
            "action": {"type": "expire"}
        }
    ]}))
}

fn pretty(v: Value) -> String {
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=,@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The AWS CLI commands that do what the wizard will do.
pub fn aws_cli_commands(spec: &RepositorySpec, region: &str) -> Vec<String> {
    let name = shell_quote(&spec.name);
    let mutability = serde_json::to_value(spec.tag_mutability).ok().and_then(|v| v.as_str().map(str::to_string));
    let mut create = format!(
        "aws ecr create-repository --region {} --repository-name {name} --image-tag-mutability {}",
        shell_quote(region),
        mutability.unwrap_or_default()
    );
    for f in &spec.mutability_exclusions {
        create.push_str(&format!(
            " --image-tag-mutability-exclusion-filters filterType=WILDCARD,filter={}",
            shell_quote(f)
        ));
    }
    create.push_str(&format!(" --image-scanning-configuration scanOnPush={}", spec.scan_on_push));
    match (&*spec.encryption, &spec.kms_key) {
        ("KMS", Some(key)) => create.push_str(&format!(
            " --encryption-configuration {}",
            shell_quote(&format!("encryptionType=KMS,kmsKey={key}"))
        )),
        ("KMS", None) => create.push_str(" --encryption-configuration encryptionType=KMS"),
        _ => create.push_str(" --encryption-configuration encryptionType=AES256"),
    }
    if !spec.tags.is_empty() {
        create.push_str(" --tags");
        for t in &spec.tags {
            create.push(' ');
            create.push_str(&shell_quote(&format!("Key={},Value={}", t.key, t.value)));
        }
    }
    let mut out = vec![create];
    if spec.lifecycle_policy.is_some() {
        out.push(format!(
            "aws ecr put-lifecycle-policy --region {} --repository-name {name} --lifecycle-policy-text file://lifecycle-policy.json",
            shell_quote(region)
        ));
    }
    if spec.repository_policy.is_some() {
        out.push(format!(
            "aws ecr set-repository-policy --region {} --repository-name {name} --policy-text file://repository-policy.json",
            shell_quote(region)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ResourceTag;

    fn spec() -> RepositorySpec {
        RepositorySpec {
            name: "team/api".into(),
            tag_mutability: TagMutability::Immutable,
            mutability_exclusions: vec![],
            scan_on_push: true,
            encryption: "AES256".into(),
            kms_key: None,
            lifecycle_policy: None,
            repository_policy: None,
            tags: vec![ResourceTag { key: "team".into(), value: "platform".into() }],
        }
    }

    fn fields(s: &RepositorySpec) -> Vec<String> {
        check_spec(s).into_iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_good_spec_has_no_problems_and_templates_pass_their_own_checks() {
        let mut s = spec();
        s.lifecycle_policy = Some(lifecycle_keep_release_tags("release-*", 10, 14));
        s.repository_policy = Some(policy_allow_pull_from_accounts(&["111122223333".into()]));
        assert!(check_spec(&s).is_empty(), "{:?}", check_spec(&s));
        for l in [lifecycle_keep_last_tagged(10), lifecycle_expire_untagged(7)] {
            assert!(check_lifecycle_json(&l).is_ok(), "{l}");
        }
        for p in
            [policy_allow_push_from_role("arn:aws:iam::111122223333:role/ci"), policy_allow_lambda_pull("111122223333")]
        {
            assert!(check_policy_json(&p).is_ok(), "{p}");
        }
    }

    #[test]
    fn problems_name_their_fields() {
        let mut s = spec();
        s.name = "My Repo".into();
        s.mutability_exclusions = vec!["latest".into()];
        s.encryption = "KMS".into();
        s.kms_key = Some("not a key".into());
        s.lifecycle_policy = Some("{\"rules\": [".into());
        s.repository_policy = Some("{}".into());
        s.tags = vec![
            ResourceTag { key: "aws:x".into(), value: "v".into() },
            ResourceTag { key: "k".into(), value: "v".repeat(257) },
        ];
        assert_eq!(
            fields(&s),
            ["name", "mutability_exclusions", "kms_key", "lifecycle_policy", "repository_policy", "tags", "tags"]
        );
        let lifecycle = check_spec(&s).into_iter().find(|p| p.field == "lifecycle_policy").unwrap();
        assert!(lifecycle.message.contains("not valid JSON"), "{}", lifecycle.message);
    }

    #[test]
    fn exclusions_go_with_their_modes() {
        let mut s = spec();
        s.tag_mutability = TagMutability::ImmutableWithExclusion;
        assert_eq!(fields(&s), ["mutability_exclusions"]);
        s.mutability_exclusions = vec!["latest".into(), "dev-*".into()];
        assert!(fields(&s).is_empty());
        s.mutability_exclusions = (0..6).map(|i| format!("t{i}")).collect();
        assert_eq!(fields(&s), ["mutability_exclusions"]);
    }

    #[test]
    fn kms_keys_in_every_accepted_form() {
        let mut s = spec();
        s.encryption = "KMS".into();
        for key in [
            "alias/berth",
            "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "1234abcd-12ab-34cd-56ef-1234567890ab",
        ] {
            s.kms_key = Some(key.into());
            assert!(fields(&s).is_empty(), "{key}");
        }
        s.kms_key = None;
        assert!(fields(&s).is_empty(), "the AWS managed key");
    }

    #[test]
    fn policies_in_words() {
        assert_eq!(
            describe_policy(&policy_allow_pull_from_accounts(&["111122223333".into(), "444455556666".into()])),
            ["Allow account 111122223333, account 444455556666 to pull"]
        );
        assert_eq!(
            describe_policy(&policy_allow_push_from_role("arn:aws:iam::111122223333:role/ci")),
            ["Allow role ci of account 111122223333 to pull and push"]
        );
        assert_eq!(
            describe_policy(&policy_allow_lambda_pull("111122223333")),
            ["Allow the service lambda.amazonaws.com to pull"]
        );
    }

    #[test]
    fn the_equivalent_cli() {
        let mut s = spec();
        s.encryption = "KMS".into();
        s.kms_key = Some("alias/berth".into());
        s.lifecycle_policy = Some(lifecycle_expire_untagged(7));
        let cmds = aws_cli_commands(&s, "eu-west-1");
        assert_eq!(cmds.len(), 2);
        assert_eq!(
            cmds[0],
            "aws ecr create-repository --region eu-west-1 --repository-name team/api --image-tag-mutability IMMUTABLE \
             --image-scanning-configuration scanOnPush=true --encryption-configuration encryptionType=KMS,kmsKey=alias/berth \
             --tags Key=team,Value=platform"
        );
        assert!(cmds[1].contains("put-lifecycle-policy"));
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
