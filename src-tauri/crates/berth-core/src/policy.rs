//! Repository creation helpers: validation of the whole spec field by field, templates for
//! lifecycle and repository policies, policies explained in words, and the equivalent AWS CLI.

use serde_json::{json, Value};

use crate::model::{EncryptionKind, FieldProblem, RepositorySpec, TagMutability};
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
    match spec.encryption {
        EncryptionKind::Aes256 => {
            if spec.kms_key.is_some() {
                problem(&mut out, "kms_key", "A KMS key goes with KMS encryption only.");
            }
        }
        EncryptionKind::Kms | EncryptionKind::KmsDsse => {
            if let Some(key) = spec.kms_key.as_deref() {
                let ok = key.starts_with("arn:aws") && key.contains(":kms:")
                    || key.starts_with("alias/") && key.len() > 6
                    || key.len() == 36 && key.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
                if !ok {
                    problem(&mut out, "kms_key", "A key ARN, a key id or an alias/NAME.");
                }
            }
        }
    }
    if let Some(text) = &spec.lifecycle_policy {
        out.extend(lifecycle_problems(text));
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

/// The lifecycle studio's problems of a policy (`lifecycle::validate`: ECR's shape, its rules,
/// 100 to 30,720 characters) as problems of the spec: `lifecycle_policy` for the whole
/// document, `lifecycle_policy.rules[0].selection.countNumber` for a rule's field.
pub fn lifecycle_problems(text: &str) -> Vec<FieldProblem> {
    crate::lifecycle::validate(text)
        .into_iter()
        .map(|p| FieldProblem {
            field: if p.field == "policy" {
                "lifecycle_policy".into()
            } else {
                format!("lifecycle_policy.{}", p.field)
            },
            message: p.message,
        })
        .collect()
}

/// `lifecycle::validate`'s verdict as one message (kept for callers that want a yes or no).
pub fn check_lifecycle_json(text: &str) -> Result<(), String> {
    let problems = crate::lifecycle::validate(text);
    if problems.is_empty() {
        return Ok(());
    }
    Err(problems.into_iter().map(|p| p.message).collect::<Vec<_>>().join(" "))
}

/// A repository policy's shape: a JSON object with a non-empty `Statement`.
pub fn check_policy_json(text: &str) -> Result<(), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| json_error("The repository policy", &e))?;
    let statements = statements(&v);
    if statements.is_empty() {
        return Err("A repository policy needs a “Statement” (one or a list).".into());
    }
    const KEYS: [&str; 9] =
        ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];
    for (i, s) in statements.iter().enumerate() {
        let n = i + 1;
        if let Some(unknown) = s.as_object().and_then(|o| o.keys().find(|k| !KEYS.contains(&k.as_str()))) {
            return Err(format!(
                "Statement {n}: “{}” is not a key of a policy statement.{}",
                crate::format::without_controls(unknown),
                crate::lifecycle::did_you_mean(unknown, &KEYS)
            ));
        }
        if !matches!(s.get("Effect").and_then(Value::as_str), Some("Allow" | "Deny")) {
            return Err(format!("Statement {n} needs an “Effect” of Allow or Deny."));
        }
        if s.get("Principal").is_none() && s.get("NotPrincipal").is_none() {
            return Err(format!("Statement {n} needs a “Principal”: who the policy lets in (or keeps out)."));
        }
        if s.get("Action").is_none() && s.get("NotAction").is_none() {
            return Err(format!("Statement {n} needs an “Action”, such as ecr:BatchGetImage."));
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

/// The principals of a `Principal` or `NotPrincipal` element.
fn principals_in_words(v: &Value) -> Vec<String> {
    match v {
        Value::String(p) => vec![principal_in_words(p)],
        Value::Object(m) => m
            .iter()
            .flat_map(|(kind, v)| {
                as_list(Some(v)).into_iter().map(move |p| match kind.as_str() {
                    "Service" => format!("the service {p}"),
                    "Federated" => format!("users federated by {p}"),
                    "CanonicalUser" => format!("the canonical user {p}"),
                    _ => principal_in_words(&p),
                })
            })
            .collect(),
        other => as_list(Some(other)).iter().map(|p| principal_in_words(p)).collect(),
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn is_every_action(a: &str) -> bool {
    a == "*" || a.eq_ignore_ascii_case("ecr:*")
}

/// Actions as words: "pull" and "push" for the actions that make them up, every other action
/// as written (so nothing an action list grants goes unsaid).
fn action_words(actions: &[String]) -> Vec<String> {
    let has = |a: &str| actions.iter().any(|x| x.eq_ignore_ascii_case(a));
    let mut words = Vec::new();
    let mut covered: Vec<&str> = Vec::new();
    if has("ecr:BatchGetImage") && has("ecr:GetDownloadUrlForLayer") {
        words.push("pull".to_string());
        covered.extend(PULL_ACTIONS);
    }
    if has("ecr:PutImage") && has("ecr:UploadLayerPart") {
        words.push("push".to_string());
        covered.extend(PUSH_ACTIONS);
    }
    for a in actions {
        let said = covered.iter().any(|c| c.eq_ignore_ascii_case(a)) || words.contains(a);
        if !said {
            words.push(a.clone());
        }
    }
    words
}

fn actions_in_words(actions: &[String]) -> String {
    if actions.iter().any(|a| is_every_action(a)) {
        return "do anything with the repository".into();
    }
    if actions.is_empty() {
        return "do nothing (no action named)".into();
    }
    and_list(&action_words(actions))
}

/// "or"-joined values, as a condition with several values matches any of them.
fn or_list(values: &[&str]) -> String {
    values.join(" or ")
}

/// The words for a condition key Berth knows: (is, is not, matches, does not match), each
/// followed by the values.
fn condition_key_words(key: &str) -> Option<(Ops, [&'static str; 4])> {
    Some(match key.to_ascii_lowercase().as_str() {
        "aws:principalorgid" => (
            Ops::String,
            [
                "the caller is in the organization",
                "the caller is not in the organization",
                "the caller is in an organization matching",
                "the caller is not in an organization matching",
            ],
        ),
        "aws:principalaccount" => (
            Ops::String,
            [
                "the caller belongs to account",
                "the caller does not belong to account",
                "the caller belongs to an account matching",
                "the caller does not belong to an account matching",
            ],
        ),
        "aws:principalarn" => {
            (Ops::Arn, ["the caller is", "the caller is not", "the caller matches", "the caller does not match"])
        }
        "aws:sourceaccount" => (
            Ops::String,
            [
                "the request is on behalf of account",
                "the request is not on behalf of account",
                "the request is on behalf of an account matching",
                "the request is not on behalf of an account matching",
            ],
        ),
        "aws:sourcearn" => (
            Ops::Arn,
            [
                "the request is on behalf of",
                "the request is not on behalf of",
                "the request is on behalf of a resource matching",
                "the request is not on behalf of a resource matching",
            ],
        ),
        "aws:sourceip" => (Ops::Ip, ["the request comes from", "the request does not come from", "", ""]),
        "aws:sourcevpce" => (
            Ops::String,
            [
                "the request comes through VPC endpoint",
                "the request does not come through VPC endpoint",
                "the request comes through a VPC endpoint matching",
                "the request does not come through a VPC endpoint matching",
            ],
        ),
        "aws:sourcevpc" => (
            Ops::String,
            [
                "the request comes from VPC",
                "the request does not come from VPC",
                "the request comes from a VPC matching",
                "the request does not come from a VPC matching",
            ],
        ),
        _ => return None,
    })
}

/// Which operators a known key is put in words for.
#[derive(Clone, Copy, PartialEq)]
enum Ops {
    /// String operators only.
    String,
    /// String and ARN operators.
    Arn,
    /// IpAddress and NotIpAddress.
    Ip,
}

/// One condition (`operator: {key: values}`) in words where Berth knows the key and the
/// operator, else as written: `aws:PrincipalTag/team StringEquals "x"`.
fn condition_in_words(op: &str, key: &str, values: &Value) -> String {
    let written = || format!("{key} {op} {}", values_as_written(values));
    let list: Vec<&str> = match values {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_string) => {
            a.iter().filter_map(Value::as_str).collect()
        }
        _ => return written(),
    };
    // (operator family, like, negated); qualifiers (ForAnyValue:, ForAllValues:) and
    // IfExists change the meaning and are left as written.
    let (family, like, negated) = match op {
        "StringEquals" => (Ops::String, false, false),
        "StringNotEquals" => (Ops::String, false, true),
        "StringLike" => (Ops::String, true, false),
        "StringNotLike" => (Ops::String, true, true),
        "ArnEquals" => (Ops::Arn, false, false),
        "ArnNotEquals" => (Ops::Arn, false, true),
        "ArnLike" => (Ops::Arn, true, false),
        "ArnNotLike" => (Ops::Arn, true, true),
        "IpAddress" => (Ops::Ip, false, false),
        "NotIpAddress" => (Ops::Ip, false, true),
        _ => return written(),
    };
    let Some((ops, words)) = condition_key_words(key) else { return written() };
    let fits = match ops {
        Ops::Arn => family == Ops::String || family == Ops::Arn,
        other => family == other,
    };
    if !fits {
        return written();
    }
    // A like pattern without wildcards matches itself only.
    let pattern = like && list.iter().any(|v| v.contains(['*', '?']));
    let phrase = match (pattern, negated) {
        (false, false) => words[0],
        (false, true) => words[1],
        (true, false) => words[2],
        (true, true) => words[3],
    };
    format!("{phrase} {}", or_list(&list))
}

fn values_as_written(v: &Value) -> String {
    match v {
        Value::Array(a) => format!("[{}]", a.iter().map(Value::to_string).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

/// Every condition of a statement (they must all hold), in words.
fn conditions_in_words(c: Option<&Value>) -> Vec<String> {
    match c {
        None => Vec::new(),
        Some(Value::Object(ops)) => {
            // By operator, then key, whatever order the document has them in.
            let mut ops: Vec<(&String, &Value)> = ops.iter().collect();
            ops.sort_by_key(|(op, _)| *op);
            ops.into_iter()
                .flat_map(|(op, block)| match block {
                    Value::Object(keys) => {
                        let mut keys: Vec<(&String, &Value)> = keys.iter().collect();
                        keys.sort_by_key(|(key, _)| *key);
                        keys.into_iter().map(|(key, values)| condition_in_words(op, key, values)).collect()
                    }
                    other => vec![format!("{op} {other}")],
                })
                .collect()
        }
        Some(other) => vec![format!("Condition {other}")],
    }
}

/// One statement in words: who, what (Principal / NotPrincipal, Action / NotAction), and every
/// condition, so that the words never say more (or less) than the statement does.
fn statement_in_words(s: &Value) -> String {
    let verb = match s.get("Effect").and_then(Value::as_str) {
        Some("Allow") => "Allow".to_string(),
        Some("Deny") => "Deny".to_string(),
        Some(other) => format!("{other:?} (an effect that is neither Allow nor Deny):"),
        None => "(no Effect, neither Allow nor Deny):".to_string(),
    };
    let who = match (s.get("Principal"), s.get("NotPrincipal")) {
        (_, Some(not)) => format!("anyone except {}", principals_in_words(not).join(", ")),
        (Some(p), None) => principals_in_words(p).join(", "),
        (None, None) => "no one named (no Principal)".to_string(),
    };
    let what = match (s.get("Action"), s.get("NotAction")) {
        (_, Some(not)) => format!("every action except {}", and_list(&action_words(&as_list(Some(not))))),
        (Some(a), None) => format!("to {}", actions_in_words(&as_list(Some(a)))),
        (None, None) => "to do nothing (no Action)".to_string(),
    };
    let mut words = format!("{verb} {who} {what}");
    if let Some(not) = s.get("NotResource") {
        words.push_str(&format!(" on every resource except {}", as_list(Some(not)).join(", ")));
    }
    let conditions = conditions_in_words(s.get("Condition"));
    if !conditions.is_empty() {
        words.push_str(" when ");
        words.push_str(&conditions.join(" and "));
    }
    words
}

/// Each statement of a repository policy in words: "Allow account 111122223333 to pull",
/// "Allow anyone to pull when the caller is in the organization o-a1b2c3d4e5",
/// "Deny anyone except account 111122223333 to push".
pub fn describe_policy(text: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<Value>(text) else { return Vec::new() };
    statements(&v).into_iter().map(statement_in_words).collect()
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
    let kind = match spec.encryption {
        EncryptionKind::Aes256 => "AES256",
        EncryptionKind::Kms => "KMS",
        EncryptionKind::KmsDsse => "KMS_DSSE",
    };
    match (spec.encryption.uses_kms(), &spec.kms_key) {
        (true, Some(key)) => create.push_str(&format!(
            " --encryption-configuration {}",
            shell_quote(&format!("encryptionType={kind},kmsKey={key}"))
        )),
        _ => create.push_str(&format!(" --encryption-configuration encryptionType={kind}")),
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
            encryption: crate::model::EncryptionKind::Aes256,
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
        // A misspelt key is named, with the key meant.
        let misspelt = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Acton": "ecr:BatchGetImage"}]}"#;
        let e = check_policy_json(misspelt).unwrap_err();
        assert!(e.contains("Statement 1") && e.contains("Acton") && e.contains("Did you mean \"Action\""), "{e}");
    }

    #[test]
    fn problems_name_their_fields() {
        let mut s = spec();
        s.name = "My Repo".into();
        s.mutability_exclusions = vec!["latest".into()];
        s.encryption = crate::model::EncryptionKind::Kms;
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
        s.encryption = crate::model::EncryptionKind::Kms;
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
            ["Allow the service lambda.amazonaws.com to pull when the request is on behalf of a resource matching \
              arn:aws:lambda:*:111122223333:function:*"]
        );
    }

    #[test]
    fn the_equivalent_cli() {
        let mut s = spec();
        s.encryption = crate::model::EncryptionKind::Kms;
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
