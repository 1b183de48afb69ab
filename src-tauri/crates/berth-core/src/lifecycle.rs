//! ECR lifecycle policies: the document, its validation, and an exact local simulation.
//!
//! Semantics, as ECR documents them:
//! - every rule is evaluated against all images; results are applied by `rulePriority`, lowest
//!   number first; an image is expired (or transitioned) by at most one rule;
//! - an image that matches a higher-priority rule's tag selection is never acted on by a
//!   lower-priority rule, yet still counts when that lower rule counts images;
//! - `imageCountMoreThan N` sorts the matched images by push time, newest first, and acts on
//!   those beyond the first N; `sinceImagePushed N` acts on images pushed more than N days
//!   before the evaluation time (`sinceImagePulled` on the last pull, else the push;
//!   `sinceImageTransitioned` on the transition time, else the push);
//! - a prefix or pattern list matches only when every entry matches some tag of the image.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use ts_rs::TS;

use crate::model::FieldProblem;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LifecyclePolicy {
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub rule_priority: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub selection: Selection,
    pub action: Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum TagStatus {
    Tagged,
    Untagged,
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CountType {
    ImageCountMoreThan,
    SinceImagePushed,
    SinceImagePulled,
    SinceImageTransitioned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Selection {
    pub tag_status: TagStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_prefix_list: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_pattern_list: Option<Vec<String>>,
    /// `standard` or `archive` (newer ECR): which images the rule looks at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    pub count_type: CountType,
    /// `days` for the `since*` count types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_unit: Option<String>,
    pub count_number: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ActionType {
    Expire,
    Transition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    #[serde(rename = "type")]
    pub kind: ActionType,
    /// For `transition`: `archive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_storage_class: Option<String>,
}

/// Parse a policy document; a message says where it is wrong.
pub fn parse(text: &str) -> Result<LifecyclePolicy, String> {
    serde_json::from_str(text).map_err(|e| {
        format!("The lifecycle policy is not valid JSON for ECR (line {}, column {}): {e}", e.line(), e.column())
    })
}

/// The document as ECR stores it (two-space indentation, fields in ECR's order).
pub fn print(policy: &LifecyclePolicy) -> String {
    serde_json::to_string_pretty(policy).unwrap_or_default()
}

fn problem(field: String, message: String) -> FieldProblem {
    FieldProblem { field, message }
}

/// `*` wildcards allowed per pattern.
pub const MAX_WILDCARDS: usize = 4;

/// Every problem of the document, each with its rule and field (`rules[1].selection.countNumber`).
pub fn validate(text: &str) -> Vec<FieldProblem> {
    let len = text.chars().count();
    let mut out = Vec::new();
    if !(100..=30_720).contains(&len) {
        out.push(problem(
            "policy".into(),
            format!("ECR accepts lifecycle policies of 100 to 30,720 characters; this one has {len}."),
        ));
    }
    match parse(text) {
        Ok(p) => out.extend(validate_policy(&p)),
        Err(e) => out.push(problem("policy".into(), e)),
    }
    out
}

pub fn validate_policy(p: &LifecyclePolicy) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    if p.rules.is_empty() {
        out.push(problem("rules".into(), "Add at least one rule.".into()));
    }
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let max_priority = p.rules.iter().map(|r| r.rule_priority).max().unwrap_or(0);
    for (i, r) in p.rules.iter().enumerate() {
        let at = |f: &str| format!("rules[{i}].{f}");
        let n = i + 1;
        if r.rule_priority < 1 {
            out.push(problem(
                at("rulePriority"),
                format!("Rule {n}: the priority must be a whole number of 1 or more."),
            ));
        }
        if let Some(first) = seen.insert(r.rule_priority, i) {
            out.push(problem(
                at("rulePriority"),
                format!(
                    "Rule {n}: priority {} is already used by rule {}; each rule needs its own.",
                    r.rule_priority,
                    first + 1
                ),
            ));
        }
        let s = &r.selection;
        if s.tag_status == TagStatus::Any && r.rule_priority != max_priority {
            out.push(problem(
                at("rulePriority"),
                format!(
                    "Rule {n}: a rule for any tag status must have the highest priority number (be evaluated last)."
                ),
            ));
        }
        let prefixes = s.tag_prefix_list.as_deref().unwrap_or_default();
        let patterns = s.tag_pattern_list.as_deref().unwrap_or_default();
        match s.tag_status {
            TagStatus::Tagged if prefixes.is_empty() && patterns.is_empty() => out.push(problem(
                at("selection.tagPrefixList"),
                format!("Rule {n}: a rule for tagged images needs a tag prefix list or a tag pattern list."),
            )),
            TagStatus::Tagged if !prefixes.is_empty() && !patterns.is_empty() => out.push(problem(
                at("selection.tagPatternList"),
                format!("Rule {n}: give either tag prefixes or tag patterns, not both."),
            )),
            TagStatus::Untagged | TagStatus::Any if !prefixes.is_empty() || !patterns.is_empty() => out.push(problem(
                at("selection.tagStatus"),
                format!("Rule {n}: tag prefixes and patterns only apply to tagged images; set tag status to tagged or remove them."),
            )),
            _ => {}
        }
        for (j, pat) in patterns.iter().enumerate() {
            let stars = pat.matches('*').count();
            if stars > MAX_WILDCARDS {
                out.push(problem(
                    format!("rules[{i}].selection.tagPatternList[{j}]"),
                    format!("Rule {n}: “{pat}” has {stars} wildcards; ECR allows at most {MAX_WILDCARDS} per pattern."),
                ));
            }
            if pat.is_empty() {
                out.push(problem(
                    format!("rules[{i}].selection.tagPatternList[{j}]"),
                    format!("Rule {n}: an empty pattern."),
                ));
            }
        }
        if prefixes.iter().any(String::is_empty) {
            out.push(problem(at("selection.tagPrefixList"), format!("Rule {n}: an empty prefix.")));
        }
        if s.count_number < 1 {
            out.push(problem(at("selection.countNumber"), format!("Rule {n}: the count must be 1 or more.")));
        }
        match s.count_type {
            CountType::ImageCountMoreThan if s.count_unit.is_some() => out.push(problem(
                at("selection.countUnit"),
                format!("Rule {n}: a count of images takes no unit; remove countUnit."),
            )),
            CountType::SinceImagePushed | CountType::SinceImagePulled | CountType::SinceImageTransitioned
                if s.count_unit.as_deref() != Some("days") =>
            {
                out.push(problem(at("selection.countUnit"), format!("Rule {n}: an age needs countUnit \"days\".")))
            }
            _ => {}
        }
        if r.action.kind == ActionType::Transition && r.action.target_storage_class.as_deref() != Some("archive") {
            out.push(problem(
                at("action.targetStorageClass"),
                format!("Rule {n}: a transition needs targetStorageClass \"archive\"."),
            ));
        }
        if r.description.as_ref().is_some_and(|d| d.chars().count() > 256) {
            out.push(problem(at("description"), format!("Rule {n}: the description is longer than 256 characters.")));
        }
    }
    out
}

/// An image as the simulator sees it (the shape of DescribeImages' `imageDetails`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SimImage {
    pub image_digest: String,
    #[serde(default)]
    pub image_tags: Vec<String>,
    /// RFC 3339.
    pub image_pushed_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_recorded_pull_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transitioned_at: Option<String>,
    /// `standard` (default) or `archive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
}

impl From<&crate::model::ImageSummary> for SimImage {
    fn from(i: &crate::model::ImageSummary) -> SimImage {
        SimImage {
            image_digest: i.digest.clone(),
            image_tags: i.tags.clone(),
            image_pushed_at: i.pushed_at.clone().unwrap_or_default(),
            last_recorded_pull_time: i.last_pulled_at.clone(),
            last_transitioned_at: None,
            storage_class: None,
        }
    }
}

/// Images from `aws ecr describe-images` output: `{"imageDetails": [...]}` (or the bare list),
/// times as RFC 3339 strings or epoch seconds.
pub fn images_from_describe(text: &str) -> Result<Vec<SimImage>, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("The images file is not JSON (line {}): {e}", e.line()))?;
    let list = v
        .get("imageDetails")
        .unwrap_or(&v)
        .as_array()
        .ok_or("The images file needs an “imageDetails” list (the output of aws ecr describe-images).")?;
    let time = |t: &serde_json::Value| -> Option<String> {
        match t {
            serde_json::Value::String(s) => {
                let parsed = OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
                parsed.to_offset(time::UtcOffset::UTC).format(&time::format_description::well_known::Rfc3339).ok()
            }
            serde_json::Value::Number(n) => {
                let secs = n.as_f64()?;
                OffsetDateTime::from_unix_timestamp_nanos((secs * 1e9) as i128)
                    .ok()?
                    .format(&time::format_description::well_known::Rfc3339)
                    .ok()
            }
            _ => None,
        }
    };
    list.iter()
        .enumerate()
        .map(|(i, d)| {
            let digest = d["imageDigest"].as_str().ok_or(format!("imageDetails[{i}] has no imageDigest"))?;
            let pushed = time(&d["imagePushedAt"]).ok_or(format!("imageDetails[{i}] has no readable imagePushedAt"))?;
            Ok(SimImage {
                image_digest: digest.to_string(),
                image_tags: d["imageTags"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect())
                    .unwrap_or_default(),
                image_pushed_at: pushed,
                last_recorded_pull_time: time(&d["lastRecordedPullTime"]),
                last_transitioned_at: time(&d["lastActivatedAt"]),
                storage_class: d["imageStatus"]
                    .as_str()
                    .filter(|s| s.eq_ignore_ascii_case("archived"))
                    .map(|_| "archive".to_string()),
            })
        })
        .collect()
}

/// What the simulation decided for one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Decision {
    pub digest: String,
    pub rule_priority: i64,
    pub action: ActionType,
    /// "rule 2: 7th newest image tagged `release-*`, keeps 5"
    pub reason: String,
}

/// A `*` pattern split once into its literal parts.
struct Glob<'a>(Vec<&'a str>);

impl<'a> Glob<'a> {
    fn new(pattern: &'a str) -> Glob<'a> {
        Glob(pattern.split('*').collect())
    }

    fn matches(&self, text: &str) -> bool {
        let parts = &self.0;
        if parts.len() == 1 {
            return parts[0] == text;
        }
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        if text.len() < first.len() + last.len() || !text.starts_with(first) || !text.ends_with(last) {
            return false;
        }
        let mut rest = &text[first.len()..text.len() - last.len()];
        for mid in &parts[1..parts.len() - 1] {
            match rest.find(mid) {
                Some(at) => rest = &rest[at + mid.len()..],
                None => return false,
            }
        }
        true
    }
}

/// A rule's selection prepared once for many images.
struct Matcher<'a> {
    selection: &'a Selection,
    class: &'a str,
    prefixes: &'a [String],
    patterns: Vec<Glob<'a>>,
}

impl<'a> Matcher<'a> {
    fn new(s: &'a Selection) -> Matcher<'a> {
        Matcher {
            selection: s,
            class: s.storage_class.as_deref().unwrap_or("standard"),
            prefixes: s.tag_prefix_list.as_deref().unwrap_or_default(),
            patterns: s.tag_pattern_list.iter().flatten().map(|p| Glob::new(p)).collect(),
        }
    }

    fn matches(&self, image: &SimImage) -> bool {
        if image.storage_class.as_deref().unwrap_or("standard") != self.class {
            return false;
        }
        let tagged = !image.image_tags.is_empty();
        match self.selection.tag_status {
            TagStatus::Untagged => !tagged,
            TagStatus::Any => true,
            TagStatus::Tagged => {
                tagged
                    && self.prefixes.iter().all(|p| image.image_tags.iter().any(|t| t.starts_with(p.as_str())))
                    && self.patterns.iter().all(|g| image.image_tags.iter().any(|t| g.matches(t)))
            }
        }
    }
}

/// Does the rule's tag selection (status, prefixes, patterns, storage class) take this image?
pub fn selects(s: &Selection, image: &SimImage) -> bool {
    Matcher::new(s).matches(image)
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn what(s: &Selection) -> String {
    let lists: Vec<String> = s
        .tag_prefix_list
        .iter()
        .flatten()
        .map(|p| format!("`{p}*`"))
        .chain(s.tag_pattern_list.iter().flatten().map(|p| format!("`{p}`")))
        .collect();
    match s.tag_status {
        TagStatus::Untagged => "untagged image".into(),
        TagStatus::Any => "image".into(),
        TagStatus::Tagged => format!("image tagged {}", lists.join(" and ")),
    }
}

fn parse_time(t: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
}

/// `2026-11-24T12:00:00Z` / `…:00.123Z` quickly (the common shape of ECR times), else through
/// the full RFC 3339 parser. Unix nanoseconds.
fn epoch_nanos(t: &str) -> Option<i128> {
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r.clone())?.iter().try_fold(0i64, |n, c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')))
    };
    let fast = (|| {
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (y, mo, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let (h, mi, sec) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
        let mut frac: i128 = 0;
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let mut scale: i128 = 100_000_000;
            while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                frac += i128::from(c - b'0') * scale;
                scale /= 10;
                i += 1;
            }
        }
        if b.get(i) != Some(&b'Z') || i + 1 != b.len() {
            return None;
        }
        let date = time::Date::from_calendar_date(y as i32, time::Month::try_from(mo as u8).ok()?, d as u8).ok()?;
        let days = i128::from(date.to_julian_day() - time::macros::date!(1970 - 01 - 01).to_julian_day());
        Some(((days * 86_400 + i128::from(h * 3600 + mi * 60 + sec)) * 1_000_000_000) + frac)
    })();
    fast.or_else(|| parse_time(t).map(|t| t.unix_timestamp_nanos()))
}

/// Run `policy` over `images` as of `at`. Answers the decisions, in the images' order.
pub fn simulate(policy: &LifecyclePolicy, images: &[SimImage], at: OffsetDateTime) -> Vec<Decision> {
    let mut rules: Vec<&Rule> = policy.rules.iter().collect();
    rules.sort_by_key(|r| r.rule_priority);
    let pushed: Vec<Option<i128>> = images.iter().map(|i| epoch_nanos(&i.image_pushed_at)).collect();
    // Newest first; equal push times in a stable order (by digest). Once for every count rule.
    let mut newest_first: Vec<usize> = (0..images.len()).collect();
    newest_first
        .sort_by(|&a, &b| pushed[b].cmp(&pushed[a]).then_with(|| images[a].image_digest.cmp(&images[b].image_digest)));
    let now = at.unix_timestamp_nanos();
    const DAY: i128 = 86_400 * 1_000_000_000;
    let mut decided: Vec<Option<Decision>> = vec![None; images.len()];
    let mut shielded = vec![false; images.len()];
    for rule in rules {
        let s = &rule.selection;
        let matcher = Matcher::new(s);
        let matches: Vec<bool> = images.iter().map(|i| matcher.matches(i)).collect();
        let n = s.count_number.max(0) as usize;
        let subject = what(s);
        // The reason is written only for images this rule does act on.
        let mut act = |i: usize, reason: &dyn Fn() -> String| {
            if decided[i].is_none() && !shielded[i] {
                decided[i] = Some(Decision {
                    digest: images[i].image_digest.clone(),
                    rule_priority: rule.rule_priority,
                    action: rule.action.kind,
                    reason: reason(),
                });
            }
        };
        match s.count_type {
            CountType::ImageCountMoreThan => {
                let matched = newest_first.iter().copied().filter(|&i| matches[i]);
                for (rank, i) in matched.enumerate().skip(n) {
                    act(i, &|| {
                        format!("rule {}: {} newest {subject}, keeps {n}", rule.rule_priority, ordinal(rank + 1))
                    });
                }
            }
            CountType::SinceImagePushed | CountType::SinceImagePulled | CountType::SinceImageTransitioned => {
                let limit = n as i128 * DAY;
                for i in (0..images.len()).filter(|&i| matches[i]) {
                    let (when, label) = match s.count_type {
                        CountType::SinceImagePulled => (
                            images[i].last_recorded_pull_time.as_deref().and_then(epoch_nanos).or(pushed[i]),
                            if images[i].last_recorded_pull_time.is_some() {
                                "last pulled"
                            } else {
                                "never pulled; pushed"
                            },
                        ),
                        CountType::SinceImageTransitioned => {
                            (images[i].last_transitioned_at.as_deref().and_then(epoch_nanos).or(pushed[i]), "archived")
                        }
                        _ => (pushed[i], "pushed"),
                    };
                    let Some(when) = when else { continue };
                    let age = now - when;
                    if age > limit {
                        act(i, &|| {
                            format!(
                                "rule {}: {subject} {label} {} days ago, more than {n}",
                                rule.rule_priority,
                                age / DAY
                            )
                        });
                    }
                }
            }
        }
        for (i, m) in matches.iter().enumerate() {
            shielded[i] |= *m;
        }
    }
    decided.into_iter().flatten().collect()
}

/// ECR's GetLifecyclePolicyPreview shape, for the CLI.
pub fn preview_json(images: &[SimImage], decisions: &[Decision]) -> serde_json::Value {
    let by_digest: HashMap<&str, &SimImage> = images.iter().map(|i| (i.image_digest.as_str(), i)).collect();
    let results: Vec<serde_json::Value> = decisions
        .iter()
        .map(|d| {
            let image = by_digest.get(d.digest.as_str());
            serde_json::json!({
                "imageDigest": d.digest,
                "imageTags": image.map(|i| i.image_tags.clone()).unwrap_or_default(),
                "imagePushedAt": image.map(|i| i.image_pushed_at.clone()),
                "action": {"type": match d.action { ActionType::Expire => "EXPIRE", ActionType::Transition => "TRANSITION" }},
                "appliedRulePriority": d.rule_priority,
                "reason": d.reason,
            })
        })
        .collect();
    let expiring = decisions.iter().filter(|d| d.action == ActionType::Expire).count();
    let rules: BTreeSet<i64> = decisions.iter().map(|d| d.rule_priority).collect();
    serde_json::json!({
        "previewResults": results,
        "summary": {"expiringImageTotalCount": expiring, "transitioningImageTotalCount": decisions.len() - expiring},
        "appliedRules": rules,
    })
}

/// A simulation as the studio shows it: the document's problems, and the decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Simulation {
    pub problems: Vec<FieldProblem>,
    pub decisions: Vec<Decision>,
}

/// Validate and, when the document parses, simulate (a policy ECR would refuse is still
/// simulated, so the user sees both what is wrong and what it would do).
pub fn simulate_text(text: &str, images: &[SimImage], at: Option<&str>) -> Simulation {
    let mut problems = validate(text);
    let at = match at {
        Some(t) => match OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339) {
            Ok(at) => at,
            Err(e) => {
                problems.push(problem("at".into(), format!("“{t}” is not a date and time (RFC 3339): {e}")));
                OffsetDateTime::now_utc()
            }
        },
        None => OffsetDateTime::now_utc(),
    };
    let decisions = parse(text).map(|p| simulate(&p, images, at)).unwrap_or_default();
    Simulation { problems, decisions }
}

/// ECR's own preview of a policy (StartLifecyclePolicyPreview), where the endpoint offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EcrPreview {
    pub status: String,
    /// (digest, rule priority) of each image ECR would act on.
    pub results: Vec<EcrPreviewHit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EcrPreviewHit {
    pub digest: String,
    pub rule_priority: i64,
}
