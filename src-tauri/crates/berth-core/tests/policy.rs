//! The repository wizard's checks of a lifecycle policy (the studio's validator), and
//! repository policies in words: every condition, NotPrincipal and NotAction said.

use berth_core::model::{RepositorySpec, TagMutability};
use berth_core::policy::*;

fn spec(lifecycle: &str) -> RepositorySpec {
    RepositorySpec {
        name: "team/api".into(),
        tag_mutability: TagMutability::Immutable,
        mutability_exclusions: vec![],
        scan_on_push: true,
        encryption: berth_core::model::EncryptionKind::Aes256,
        kms_key: None,
        lifecycle_policy: Some(lifecycle.into()),
        repository_policy: None,
        tags: vec![],
    }
}

fn fields(lifecycle: &str) -> Vec<String> {
    check_spec(&spec(lifecycle)).into_iter().map(|p| p.field).collect()
}

const RULE: &str = r#"{"rules": [{"rulePriority": 1, "description": "Keep the newest images", "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": COUNT}, "action": {"type": "expire"}}]}"#;

#[test]
fn the_spec_check_refuses_what_the_lifecycle_studio_refuses() {
    assert_eq!(fields(&RULE.replace("COUNT", "10")), Vec::<String>::new());
    for template in
        [lifecycle_keep_last_tagged(10), lifecycle_expire_untagged(7), lifecycle_keep_release_tags("v*", 5, 3)]
    {
        assert_eq!(fields(&template), Vec::<String>::new(), "{template}");
    }
    // A count of 0, which ECR refuses, is refused before the repository is created.
    assert_eq!(fields(&RULE.replace("COUNT", "0")), ["lifecycle_policy.rules[0].selection.countNumber"]);
    // Unknown fields, with the studio's paths under `lifecycle_policy.`.
    let misspelt = RULE.replace("COUNT", "10").replace("\"countType\"", "\"tagPrefixListt\": [\"v\"], \"countType\"");
    let problems = check_spec(&spec(&misspelt));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].field, "lifecycle_policy.rules[0].selection.tagPrefixListt");
    assert!(problems[0].message.starts_with(r#"Unknown field "tagPrefixListt" in rule 1 (priority 1)"#));
    // Whole-document problems keep the bare field the wizard shows under its editor.
    assert_eq!(fields("{\"rules\": ["), ["lifecycle_policy"]);
    assert_eq!(fields("[1, 2, 3]"), ["lifecycle_policy", "lifecycle_policy"], "too short, and not an object");
    let long = RULE.replace("COUNT", "10").replace("Keep the newest images", &"x".repeat(31_000));
    let problems = check_spec(&spec(&long));
    assert!(problems.iter().any(|p| p.field == "lifecycle_policy" && p.message.contains("30,720")), "{problems:#?}");
    // The one-message form says the same.
    assert!(check_lifecycle_json(&RULE.replace("COUNT", "0")).unwrap_err().contains("the count must be 1 or more"));
    assert!(check_lifecycle_json(&misspelt).is_err());
    assert_eq!(check_lifecycle_json(&RULE.replace("COUNT", "10")), Ok(()));
}

fn words(statement: &str) -> Vec<String> {
    describe_policy(&format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#))
}

const PULL: &str = r#"["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]"#;
const PUSH: &str = r#"["ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", "ecr:BatchCheckLayerAvailability"]"#;

#[test]
fn anyone_limited_by_an_organization_is_not_anyone() {
    let s = format!(
        r#"{{"Sid": "OrgPull", "Effect": "Allow", "Principal": "*", "Action": {PULL},
            "Condition": {{"StringEquals": {{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}}}}"#
    );
    assert_eq!(words(&s), ["Allow anyone to pull when the caller is in the organization o-a1b2c3d4e5"]);
    let s = r#"{"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "ecr:*",
        "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5", "o-f6g7h8i9j0"]}}}"#;
    assert_eq!(
        words(s),
        ["Deny anyone to do anything with the repository when the caller is not in the organization o-a1b2c3d4e5 or o-f6g7h8i9j0"]
    );
    let s = format!(
        r#"{{"Effect": "Allow", "Principal": "*", "Action": {PULL},
            "Condition": {{"StringLike": {{"aws:PrincipalOrgID": "o-a1b2*"}}}}}}"#
    );
    assert_eq!(words(&s), ["Allow anyone to pull when the caller is in an organization matching o-a1b2*"]);
}

#[test]
fn network_and_source_conditions_with_their_negations() {
    // Deny pushes from outside the office network or not through the VPC endpoint.
    let s = format!(
        r#"{{"Effect": "Deny", "Principal": "*", "Action": {PUSH},
            "Condition": {{"NotIpAddress": {{"aws:SourceIp": ["203.0.113.0/24", "198.51.100.7/32"]}}}}}},
           {{"Effect": "Deny", "Principal": "*", "Action": {PULL},
            "Condition": {{"StringNotEquals": {{"aws:SourceVpce": "vpce-1a2b3c4d"}}}}}},
           {{"Effect": "Allow", "Principal": "*", "Action": {PULL},
            "Condition": {{"IpAddress": {{"aws:SourceIp": "10.0.0.0/8"}}, "StringEquals": {{"aws:SourceVpce": "vpce-1a2b3c4d"}}}}}}"#
    );
    assert_eq!(
        words(&s),
        [
            "Deny anyone to push when the request does not come from 203.0.113.0/24 or 198.51.100.7/32",
            "Deny anyone to pull when the request does not come through VPC endpoint vpce-1a2b3c4d",
            "Allow anyone to pull when the request comes from 10.0.0.0/8 and the request comes through VPC endpoint vpce-1a2b3c4d",
        ]
    );
    // A service on behalf of one account (the key's case does not matter, as in IAM).
    let s = r#"{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}, "ArnLike": {"aws:sourceArn": "arn:aws:codebuild:eu-west-1:111122223333:project/*"}}}"#;
    assert_eq!(
        words(s),
        ["Allow the service codebuild.amazonaws.com to pull when the request is on behalf of a resource matching \
          arn:aws:codebuild:eu-west-1:111122223333:project/* and the request is on behalf of account 111122223333"]
    );
    let s = r#"{"Effect": "Deny", "Principal": "*", "Action": "ecr:PutImage",
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci-*"}}}"#;
    assert_eq!(
        words(s),
        ["Deny anyone to ecr:PutImage when the caller does not match arn:aws:iam::111122223333:role/ci-*"]
    );
}

#[test]
fn conditions_berth_does_not_know_are_said_as_written() {
    let s = format!(
        r#"{{"Effect": "Allow", "Principal": "*", "Action": {PULL},
            "Condition": {{"StringEquals": {{"aws:PrincipalTag/team": "x"}}}}}}"#
    );
    assert_eq!(words(&s), [r#"Allow anyone to pull when aws:PrincipalTag/team StringEquals "x""#]);
    // Operators that change the meaning of a known key (IfExists, set qualifiers) are as written too.
    let s = format!(
        r#"{{"Effect": "Deny", "Principal": "*", "Action": {PULL},
            "Condition": {{"StringNotEqualsIfExists": {{"aws:SourceVpce": ["vpce-1", "vpce-2"]}},
                           "Bool": {{"aws:SecureTransport": "false"}},
                           "ForAnyValue:StringLike": {{"aws:PrincipalOrgPaths": "o-a/r-b/*"}}}}}}"#
    );
    assert_eq!(
        words(&s),
        [
            r#"Deny anyone to pull when aws:SecureTransport Bool "false" and aws:PrincipalOrgPaths ForAnyValue:StringLike "o-a/r-b/*" and aws:SourceVpce StringNotEqualsIfExists ["vpce-1", "vpce-2"]"#
        ]
    );
    // A known key with an operator that does not fit it.
    let s = format!(
        r#"{{"Effect": "Allow", "Principal": "*", "Action": {PULL}, "Condition": {{"StringEquals": {{"aws:SourceIp": "10.0.0.1"}}}}}}"#
    );
    assert_eq!(words(&s), [r#"Allow anyone to pull when aws:SourceIp StringEquals "10.0.0.1""#]);
}

#[test]
fn not_principal_and_not_action_say_except() {
    let s = format!(
        r#"{{"Effect": "Allow", "NotPrincipal": {{"AWS": "arn:aws:iam::111122223333:root"}}, "Action": {PULL}}}"#
    );
    assert_eq!(words(&s), ["Allow anyone except account 111122223333 to pull"]);
    let s = format!(
        r#"{{"Effect": "Deny", "NotPrincipal": {{"AWS": ["arn:aws:iam::111122223333:role/ci", "444455556666"]}}, "Action": {PUSH},
            "Condition": {{"NotIpAddress": {{"aws:SourceIp": "203.0.113.0/24"}}}}}}"#
    );
    assert_eq!(
        words(&s),
        ["Deny anyone except role ci of account 111122223333, account 444455556666 to push when the request does not come from 203.0.113.0/24"]
    );
    let s = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": ["ecr:DeleteRepository", "ecr:SetRepositoryPolicy"]}"#;
    assert_eq!(
        words(s),
        ["Allow account 111122223333 every action except ecr:DeleteRepository and ecr:SetRepositoryPolicy"]
    );
    let s = format!(r#"{{"Effect": "Deny", "Principal": "*", "NotAction": {PULL}}}"#);
    assert_eq!(words(&s), ["Deny anyone every action except pull"]);
}

#[test]
fn actions_beyond_pull_and_push_are_not_left_out() {
    let s = r#"{"Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:DeleteRepository"]}"#;
    assert_eq!(words(s), ["Allow anyone to pull and ecr:DeleteRepository"]);
    let s = r#"{"Effect": "Allow", "Principal": "*", "Action": "ecr:Describe*"}"#;
    assert_eq!(words(s), ["Allow anyone to ecr:Describe*"]);
    let s = r#"{"Effect": "Allow", "Principal": "*", "Action": "*"}"#;
    assert_eq!(words(s), ["Allow anyone to do anything with the repository"]);
    // One statement as an object, not a list; an effect ECR does not know is not read as Allow.
    assert_eq!(
        describe_policy(r#"{"Statement": {"Effect": "Alow", "Principal": "*", "Action": "ecr:BatchGetImage"}}"#),
        [r#""Alow" (an effect that is neither Allow nor Deny): anyone to ecr:BatchGetImage"#]
    );
}
