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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Decision {
    /// The image's place in the list simulated.
    pub image: u32,
    pub rule_priority: i64,
    pub action: ActionType,
    /// "rule 2: 7th newest image tagged `release-*`, keeps 5"
    #[ts(type = "string")]
    pub reason: Reason,
}

/// Why a rule acts on an image. Kept as the facts and written out as a sentence only when shown
/// or serialized: a simulation of 100,000 images decides about most of them, and writing every
/// sentence up front would be most of its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    rule_priority: i64,
    /// "image tagged `release-*`", shared by every decision of the rule.
    subject: std::sync::Arc<str>,
    kind: ReasonKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReasonKind {
    /// The `rank`th newest of the matched images, beyond the `keep` newest.
    Rank { rank: u32, keep: u32 },
    /// `since` `days` ago, more than `limit`.
    Age { since: Since, days: u32, limit: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Since {
    Pushed,
    LastPulled,
    NeverPulled,
    Archived,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (rule, subject) = (self.rule_priority, &self.subject);
        match self.kind {
            ReasonKind::Rank { rank, keep } => {
                write!(f, "rule {rule}: {} newest {subject}, keeps {keep}", ordinal(rank as usize))
            }
            ReasonKind::Age { since, days, limit } => {
                let label = match since {
                    Since::Pushed => "pushed",
                    Since::LastPulled => "last pulled",
                    Since::NeverPulled => "never pulled; pushed",
                    Since::Archived => "archived",
                };
                write!(f, "rule {rule}: {subject} {label} {days} days ago, more than {limit}")
            }
        }
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
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

/// One test of a tag that some rule's selection asks for.
#[derive(PartialEq)]
enum TagTest<'a> {
    Prefix(&'a str),
    Pattern(&'a str),
}

/// The selections of all the rules, prepared to be asked of many images at once: each distinct
/// prefix and pattern is tried on each tag once (one pass over the tags, not one per rule), and
/// a rule then only compares bit masks. `selects` is the plain statement of the same test.
struct Selector<'a> {
    tests: Vec<TagTest<'a>>,
    globs: Vec<Option<Glob<'a>>>,
    /// Storage classes the rules name; an image's class is its place in this list.
    classes: Vec<&'a str>,
    /// u64 words of test bits per image.
    words: usize,
    /// Per rule: tag status, class, and the bits it needs.
    rules: Vec<(TagStatus, usize, Vec<u64>)>,
}

/// What the rules need to know of every image, computed in one pass.
struct ImageFacts {
    tagged: Vec<bool>,
    class: Vec<usize>,
    bits: Vec<u64>,
}

impl<'a> Selector<'a> {
    fn new(selections: &[&'a Selection]) -> Selector<'a> {
        let mut tests: Vec<TagTest<'a>> = Vec::new();
        let mut classes: Vec<&'a str> = Vec::new();
        let place = |list: &mut Vec<TagTest<'a>>, t: TagTest<'a>| match list.iter().position(|x| *x == t) {
            Some(at) => at,
            None => {
                list.push(t);
                list.len() - 1
            }
        };
        let needs: Vec<(TagStatus, usize, Vec<usize>)> = selections
            .iter()
            .map(|s| {
                let class = s.storage_class.as_deref().unwrap_or("standard");
                let class = classes.iter().position(|c| *c == class).unwrap_or_else(|| {
                    classes.push(class);
                    classes.len() - 1
                });
                let mut bits = Vec::new();
                if s.tag_status == TagStatus::Tagged {
                    bits.extend(s.tag_prefix_list.iter().flatten().map(|p| place(&mut tests, TagTest::Prefix(p))));
                    bits.extend(s.tag_pattern_list.iter().flatten().map(|p| place(&mut tests, TagTest::Pattern(p))));
                }
                (s.tag_status, class, bits)
            })
            .collect();
        let words = tests.len().div_ceil(64).max(1);
        let rules = needs
            .into_iter()
            .map(|(status, class, bits)| {
                let mut need = vec![0u64; words];
                for b in bits {
                    need[b / 64] |= 1 << (b % 64);
                }
                (status, class, need)
            })
            .collect();
        let globs = tests
            .iter()
            .map(|t| match t {
                TagTest::Pattern(p) => Some(Glob::new(p)),
                TagTest::Prefix(_) => None,
            })
            .collect();
        Selector { tests, globs, classes, words, rules }
    }

    fn facts(&self, images: &[SimImage]) -> ImageFacts {
        let mut bits = vec![0u64; images.len() * self.words];
        let mut class = Vec::with_capacity(images.len());
        let mut tagged = Vec::with_capacity(images.len());
        for (image, bits) in images.iter().zip(bits.chunks_exact_mut(self.words)) {
            let c = image.storage_class.as_deref().unwrap_or("standard");
            class.push(self.classes.iter().position(|k| *k == c).unwrap_or(usize::MAX));
            tagged.push(!image.image_tags.is_empty());
            for tag in &image.image_tags {
                for (b, test) in self.tests.iter().enumerate() {
                    let hit = match test {
                        TagTest::Prefix(p) => tag.starts_with(p),
                        TagTest::Pattern(_) => self.globs[b].as_ref().is_some_and(|g| g.matches(tag)),
                    };
                    if hit {
                        bits[b / 64] |= 1 << (b % 64);
                    }
                }
            }
        }
        ImageFacts { tagged, class, bits }
    }

    /// Does rule `r` (its place in the list given to `new`) select image `i`?
    fn matches(&self, facts: &ImageFacts, r: usize, i: usize) -> bool {
        let (status, class, need) = &self.rules[r];
        if facts.class[i] != *class {
            return false;
        }
        match status {
            TagStatus::Untagged => !facts.tagged[i],
            TagStatus::Any => true,
            TagStatus::Tagged => {
                facts.tagged[i]
                    && facts.bits[i * self.words..(i + 1) * self.words].iter().zip(need).all(|(b, n)| b & n == *n)
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
/// the full RFC 3339 parser. Unix nanoseconds; None for what is unreadable or beyond 2262.
fn epoch_nanos(t: &str) -> Option<i64> {
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
        let mut frac: i64 = 0;
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let mut scale: i64 = 100_000_000;
            while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
                frac += i64::from(c - b'0') * scale;
                scale /= 10;
                i += 1;
            }
        }
        if b.get(i) != Some(&b'Z') || i + 1 != b.len() {
            return None;
        }
        let month = time::Month::try_from(mo as u8).ok()?;
        if d < 1 || d > i64::from(month.length(y as i32)) || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        (days * 86_400 + h * 3600 + mi * 60 + sec).checked_mul(1_000_000_000)?.checked_add(frac)
    })();
    fast.or_else(|| parse_time(t).and_then(|t| i64::try_from(t.unix_timestamp_nanos()).ok()))
}

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Run `policy` over `images` as of `at`. Answers the decisions, in the images' order.
pub fn simulate(policy: &LifecyclePolicy, images: &[SimImage], at: OffsetDateTime) -> Vec<Decision> {
    let mut rules: Vec<&Rule> = policy.rules.iter().collect();
    rules.sort_by_key(|r| r.rule_priority);
    // An unreadable time sorts as the oldest and is never old enough for an age rule.
    let pushed: Vec<Option<i64>> = images.iter().map(|i| epoch_nanos(&i.image_pushed_at)).collect();
    // Newest first; equal push times in a stable order (by digest). Once for every count rule.
    let mut newest_first: Vec<(i64, u32)> =
        pushed.iter().enumerate().map(|(i, t)| (t.unwrap_or(i64::MIN), i as u32)).collect();
    newest_first.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| images[a.1 as usize].image_digest.cmp(&images[b.1 as usize].image_digest))
    });
    let now = i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX);
    const DAY: i64 = 86_400 * 1_000_000_000;
    // Per image: which rule (its place in `rules`) acted, and why.
    let mut decided: Vec<Option<(u32, ReasonKind)>> = vec![None; images.len()];
    let mut shielded = vec![false; images.len()];
    let mut matches = vec![false; images.len()];
    let selector = Selector::new(&rules.iter().map(|r| &r.selection).collect::<Vec<_>>());
    let facts = selector.facts(images);
    for (r, rule) in rules.iter().enumerate() {
        let s = &rule.selection;
        for (i, m) in matches.iter_mut().enumerate() {
            *m = selector.matches(&facts, r, i);
        }
        let n = s.count_number.max(0) as usize;
        // Counts beyond u32 never decide anything (no repository holds 4 billion images, and
        // 4 billion days have not passed), so the reason's numbers fit.
        let keep = u32::try_from(n).unwrap_or(u32::MAX);
        let mut act = |i: usize, kind: ReasonKind| {
            if decided[i].is_none() && !shielded[i] {
                decided[i] = Some((r as u32, kind));
            }
        };
        match s.count_type {
            CountType::ImageCountMoreThan => {
                let matched = newest_first.iter().map(|&(_, i)| i as usize).filter(|&i| matches[i]);
                for (rank, i) in matched.enumerate().skip(n) {
                    act(i, ReasonKind::Rank { rank: (rank + 1) as u32, keep });
                }
            }
            CountType::SinceImagePushed | CountType::SinceImagePulled | CountType::SinceImageTransitioned => {
                let limit = (n as i64).saturating_mul(DAY);
                for i in (0..images.len()).filter(|&i| matches[i]) {
                    let (when, since) = match s.count_type {
                        CountType::SinceImagePulled => match images[i].last_recorded_pull_time.as_deref() {
                            Some(t) => (epoch_nanos(t).or(pushed[i]), Since::LastPulled),
                            None => (pushed[i], Since::NeverPulled),
                        },
                        CountType::SinceImageTransitioned => (
                            images[i].last_transitioned_at.as_deref().and_then(epoch_nanos).or(pushed[i]),
                            Since::Archived,
                        ),
                        _ => (pushed[i], Since::Pushed),
                    };
                    let Some(when) = when else { continue };
                    let age = now.saturating_sub(when);
                    if age > limit {
                        act(
                            i,
                            ReasonKind::Age { since, days: (age / DAY).try_into().unwrap_or(u32::MAX), limit: keep },
                        );
                    }
                }
            }
        }
        for (sh, m) in shielded.iter_mut().zip(&matches) {
            *sh |= *m;
        }
    }
    let subjects: Vec<std::sync::Arc<str>> = rules.iter().map(|r| what(&r.selection).into()).collect();
    decided
        .into_iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let (r, kind) = d?;
            let rule = rules[r as usize];
            Some(Decision {
                image: i as u32,
                rule_priority: rule.rule_priority,
                action: rule.action.kind,
                reason: Reason { rule_priority: rule.rule_priority, subject: subjects[r as usize].clone(), kind },
            })
        })
        .collect()
}

/// ECR's GetLifecyclePolicyPreview shape, for the CLI.
pub fn preview_json(images: &[SimImage], decisions: &[Decision]) -> serde_json::Value {
    let results: Vec<serde_json::Value> = decisions
        .iter()
        .map(|d| {
            let image = &images[d.image as usize];
            serde_json::json!({
                "imageDigest": image.image_digest,
                "imageTags": image.image_tags,
                "imagePushedAt": image.image_pushed_at,
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
