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
use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use ts_rs::TS;

use crate::model::FieldProblem;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecyclePolicy {
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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

/// A storage class as lifecycle policies spell it: which images a rule looks at
/// (`selection.storageClass`, `standard` when absent) and where a transition moves them
/// (`action.targetStorageClass`, where ECR accepts `archive` only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum StorageClass {
    #[default]
    Standard,
    Archive,
}

/// An image's storage class as ECR's API reports it (`STANDARD`, `ARCHIVE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ImageStorageClass {
    #[default]
    Standard,
    Archive,
}

impl From<ImageStorageClass> for StorageClass {
    fn from(c: ImageStorageClass) -> StorageClass {
        match c {
            ImageStorageClass::Standard => StorageClass::Standard,
            ImageStorageClass::Archive => StorageClass::Archive,
        }
    }
}

/// The unit of the `since*` count types; ECR knows days only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CountUnit {
    Days,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Selection {
    pub tag_status: TagStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_prefix_list: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_pattern_list: Option<Vec<String>>,
    /// Which images the rule looks at (newer ECR); `standard` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<StorageClass>,
    pub count_type: CountType,
    /// `days` for the `since*` count types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_unit: Option<CountUnit>,
    pub count_number: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ActionType {
    Expire,
    Transition,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Action {
    #[serde(rename = "type")]
    pub kind: ActionType,
    /// For `transition`: `archive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_storage_class: Option<StorageClass>,
}

/// Parse a policy document; a message says where it is wrong. Fields ECR does not know are
/// refused (`validate` says which, by rule and field).
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
/// The sizes of a lifecycle policy ECR accepts, in characters.
pub const MIN_POLICY_CHARS: usize = 100;
pub const MAX_POLICY_CHARS: usize = 30_720;

/// Every problem of the document, each with its rule and field (`rules[1].selection.countNumber`);
/// whole-document problems have the field `policy`.
pub fn validate(text: &str) -> Vec<FieldProblem> {
    check(text).0
}

/// The problems, and the policy when its shape is ECR's (it may still break a rule of ECR's:
/// the simulation shows what it would do all the same).
fn check(text: &str) -> (Vec<FieldProblem>, Option<LifecyclePolicy>) {
    let len = text.chars().count();
    let mut out = Vec::new();
    let size = (!(MIN_POLICY_CHARS..=MAX_POLICY_CHARS).contains(&len)).then(|| {
        problem(
            "policy".into(),
            format!("ECR accepts lifecycle policies of {MIN_POLICY_CHARS} to 30,720 characters; this one has {len}."),
        )
    });
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            // An unfinished document is short; saying so as well would be noise.
            out.extend(size.filter(|_| len > MAX_POLICY_CHARS));
            out.push(problem(
                "policy".into(),
                format!("The lifecycle policy is not valid JSON (line {}, column {}): {e}", e.line(), e.column()),
            ));
            return (out, None);
        }
    };
    out.extend(size);
    let shape = shape_problems(&value);
    if !shape.is_empty() {
        out.extend(shape);
        return (out, None);
    }
    match serde_json::from_value::<LifecyclePolicy>(value) {
        Ok(p) => {
            out.extend(validate_policy(&p));
            (out, Some(p))
        }
        Err(e) => {
            out.push(problem("policy".into(), format!("The lifecycle policy does not have ECR's shape: {e}")));
            (out, None)
        }
    }
}

const TOP_FIELDS: &[&str] = &["rules"];
const RULE_FIELDS: &[&str] = &["rulePriority", "description", "selection", "action"];
const SELECTION_FIELDS: &[&str] =
    &["tagStatus", "tagPrefixList", "tagPatternList", "storageClass", "countType", "countUnit", "countNumber"];
const ACTION_FIELDS: &[&str] = &["type", "targetStorageClass"];
const TAG_STATUSES: &[&str] = &["tagged", "untagged", "any"];
/// Archive storage is billed for at least this many days; ECR refuses lifecycle rules that
/// expire archived images sooner.
pub const ARCHIVE_MINIMUM_DAYS: i64 = 90;

const COUNT_TYPES: &[&str] = &["imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"];
const COUNT_UNITS: &[&str] = &["days"];
const STORAGE_CLASSES: &[&str] = &["standard", "archive"];
const ACTION_TYPES: &[&str] = &["expire", "transition"];
const TARGET_STORAGE_CLASSES: &[&str] = &["archive"];

/// What a JSON value is, in words.
fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// Edit distance (insertions, deletions, substitutions), for suggestions.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// ` Did you mean "tagPrefixList"?` when a known name is close to `name`.
pub(crate) fn did_you_mean(name: &str, known: &[&str]) -> String {
    let lower = name.to_lowercase();
    known
        .iter()
        .map(|k| (distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| format!(" Did you mean {k:?}?"))
        .unwrap_or_default()
}

/// Where a shape problem is: its rule (`Rule 2 (priority 5)`) and field path prefix.
struct Place {
    /// `Rule 2 (priority 5)`, or `The policy`.
    who: String,
    /// `rules[1].selection.`, or empty at the top.
    path: String,
}

impl Place {
    fn at(&self, field: &str) -> String {
        format!("{}{field}", self.path)
    }

    fn say(&self, message: String) -> String {
        format!("{}: {message}", self.who)
    }
}

#[derive(Clone, Copy)]
enum Want {
    Integer,
    Text,
    Texts,
    Object,
    OneOf(&'static [&'static str]),
}

/// Unknown fields of `object`, each named with its rule.
fn unknown_fields(out: &mut Vec<FieldProblem>, object: &Map<String, Value>, known: &[&str], place: &Place, in_: &str) {
    for name in object.keys().filter(|k| !known.contains(&k.as_str())) {
        out.push(problem(
            place.at(name),
            format!("Unknown field {name:?} {in_}: ECR refuses it.{}", did_you_mean(name, known)),
        ));
    }
}

/// Check one field of `object` against what ECR takes; answers the value when it is right.
fn field<'v>(
    out: &mut Vec<FieldProblem>,
    object: &'v Map<String, Value>,
    name: &str,
    want: Want,
    required: bool,
    place: &Place,
) -> Option<&'v Value> {
    let Some(v) = object.get(name) else {
        if required {
            out.push(problem(place.at(name), place.say(format!("{name:?} is missing; ECR requires it."))));
        }
        return None;
    };
    let wrong = |what: &str| place.say(format!("{name:?} must be {what}; it is {}.", kind(v)));
    let message = match (want, v) {
        (_, Value::Null) if !required => {
            Some(place.say(format!("{name:?} is null; give it a value or leave the field out.")))
        }
        (Want::Integer, Value::Number(n)) if n.as_i64().is_some() => None,
        (Want::Integer, _) => Some(wrong("a whole number")),
        (Want::Text, Value::String(_)) => None,
        (Want::Text, _) => Some(wrong("a string")),
        (Want::Object, Value::Object(_)) => None,
        (Want::Object, _) => Some(wrong("an object")),
        (Want::Texts, Value::Array(items)) => {
            for (j, item) in items.iter().enumerate().filter(|(_, item)| !item.is_string()) {
                out.push(problem(
                    format!("{}[{j}]", place.at(name)),
                    place.say(format!("entry {} of {name:?} must be a string; it is {}.", j + 1, kind(item))),
                ));
            }
            None
        }
        (Want::Texts, _) => Some(wrong("a list of strings")),
        (Want::OneOf(values), Value::String(s)) if values.contains(&s.as_str()) => None,
        (Want::OneOf(values), Value::String(s)) => Some(place.say(format!(
            "{name:?} is {s:?}; ECR accepts {}.{}",
            values.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", "),
            did_you_mean(s, values)
        ))),
        (Want::OneOf(values), _) => {
            Some(wrong(&format!("one of {}", values.iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join(", "))))
        }
    };
    match message {
        Some(m) => {
            out.push(problem(place.at(name), m));
            None
        }
        None => Some(v),
    }
}

/// What ECR refuses for its shape: not an object where one belongs, unknown fields, missing
/// fields, values of the wrong type or outside the names ECR knows.
fn shape_problems(v: &Value) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    let Some(top) = v.as_object() else {
        out.push(problem(
            "policy".into(),
            format!("A lifecycle policy is a JSON object, {{\"rules\": [...]}}; this is {}.", kind(v)),
        ));
        return out;
    };
    let place = Place { who: "The policy".into(), path: String::new() };
    unknown_fields(&mut out, top, TOP_FIELDS, &place, "at the top of the policy");
    match top.get("rules") {
        None => out.push(problem("rules".into(), "The policy needs a \"rules\" list; ECR requires it.".into())),
        Some(Value::Array(rules)) => {
            for (i, r) in rules.iter().enumerate() {
                rule_shape(&mut out, i, r);
            }
        }
        Some(other) => out.push(problem("rules".into(), format!("\"rules\" must be a list; it is {}.", kind(other)))),
    }
    out
}

fn rule_shape(out: &mut Vec<FieldProblem>, i: usize, r: &Value) {
    let n = i + 1;
    let Some(rule) = r.as_object() else {
        out.push(problem(
            format!("rules[{i}]"),
            format!("Rule {n} must be an object with rulePriority, selection and action; it is {}.", kind(r)),
        ));
        return;
    };
    let label = match rule.get("rulePriority").and_then(Value::as_i64) {
        Some(p) => format!("rule {n} (priority {p})"),
        None => format!("rule {n}"),
    };
    let who = format!("R{}", &label[1..]);
    let here = Place { who: who.clone(), path: format!("rules[{i}].") };
    let in_rule = format!("in {label}");
    unknown_fields(out, rule, RULE_FIELDS, &here, &in_rule);
    field(out, rule, "rulePriority", Want::Integer, true, &here);
    field(out, rule, "description", Want::Text, false, &here);
    if let Some(Value::Object(s)) = field(out, rule, "selection", Want::Object, true, &here) {
        let place = Place { who: who.clone(), path: format!("rules[{i}].selection.") };
        unknown_fields(out, s, SELECTION_FIELDS, &place, &in_rule);
        field(out, s, "tagStatus", Want::OneOf(TAG_STATUSES), true, &place);
        field(out, s, "tagPrefixList", Want::Texts, false, &place);
        field(out, s, "tagPatternList", Want::Texts, false, &place);
        field(out, s, "storageClass", Want::OneOf(STORAGE_CLASSES), false, &place);
        field(out, s, "countType", Want::OneOf(COUNT_TYPES), true, &place);
        field(out, s, "countUnit", Want::OneOf(COUNT_UNITS), false, &place);
        field(out, s, "countNumber", Want::Integer, true, &place);
    }
    if let Some(Value::Object(a)) = field(out, rule, "action", Want::Object, true, &here) {
        let place = Place { who, path: format!("rules[{i}].action.") };
        unknown_fields(out, a, ACTION_FIELDS, &place, &in_rule);
        field(out, a, "type", Want::OneOf(ACTION_TYPES), true, &place);
        field(out, a, "targetStorageClass", Want::OneOf(TARGET_STORAGE_CLASSES), false, &place);
    }
}

/// ECR's rules for a policy of the right shape (priorities, tag lists, counts, units).
pub fn validate_policy(p: &LifecyclePolicy) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    if p.rules.is_empty() {
        out.push(problem("rules".into(), "Add at least one rule.".into()));
    }
    let mut seen: HashMap<i64, usize> = HashMap::new();
    // ECR evaluates the rules of each storage class apart (standard images, archived images):
    // a rule for any tag status comes last among the rules of its class.
    let class_of = |r: &Rule| r.selection.storage_class.unwrap_or(StorageClass::Standard);
    let max_priority = |class: StorageClass| {
        p.rules.iter().filter(|r| class_of(r) == class).map(|r| r.rule_priority).max().unwrap_or(0)
    };
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
        if s.tag_status == TagStatus::Any && r.rule_priority != max_priority(class_of(r)) {
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
                if s.count_unit != Some(CountUnit::Days) =>
            {
                out.push(problem(at("selection.countUnit"), format!("Rule {n}: an age needs countUnit \"days\".")))
            }
            _ => {}
        }
        // Archive storage (ECR, November 2025): archived images are chosen by the time since
        // they were archived, can only be expired, and not before ECR's 90-day minimum.
        let archived = s.storage_class == Some(StorageClass::Archive);
        if s.count_type == CountType::SinceImageTransitioned && !archived {
            out.push(problem(
                at("selection.storageClass"),
                format!("Rule {n}: a rule on the time since archiving looks at archived images: set storageClass \"archive\"."),
            ));
        }
        if archived && s.count_type != CountType::SinceImageTransitioned {
            out.push(problem(
                at("selection.countType"),
                format!(
                    "Rule {n}: archived images are chosen by the time since they were archived: countType \"sinceImageTransitioned\" (or storageClass \"standard\")."
                ),
            ));
        }
        if archived && r.action.kind == ActionType::Transition {
            out.push(problem(
                at("action.type"),
                format!("Rule {n}: archived images can only be expired: set the action type to \"expire\"."),
            ));
        }
        if s.count_type == CountType::SinceImageTransitioned
            && s.count_number >= 1
            && s.count_number < ARCHIVE_MINIMUM_DAYS
        {
            out.push(problem(
                at("selection.countNumber"),
                format!(
                    "Rule {n}: ECR keeps archived images at least {ARCHIVE_MINIMUM_DAYS} days before a lifecycle policy may expire them: give {ARCHIVE_MINIMUM_DAYS} days or more."
                ),
            ));
        }
        if r.action.kind == ActionType::Transition && r.action.target_storage_class != Some(StorageClass::Archive) {
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
    /// RFC 3339, from 1677-09-21 to 2262-04-11 (the simulation counts nanoseconds in 64 bits);
    /// empty when unknown (such an image sorts as the oldest and is never old enough).
    pub image_pushed_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_recorded_pull_time: Option<String>,
    /// When the image was archived (`lastArchivedAt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transitioned_at: Option<String>,
    /// `STANDARD` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<ImageStorageClass>,
}

impl From<&crate::model::ImageSummary> for SimImage {
    fn from(i: &crate::model::ImageSummary) -> SimImage {
        SimImage {
            image_digest: i.digest.clone(),
            image_tags: i.tags.clone(),
            image_pushed_at: i.pushed_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
            last_recorded_pull_time: i.last_pulled_at.map(|t| t.to_rfc3339()),
            last_transitioned_at: None,
            storage_class: None,
        }
    }
}

/// The first and last instants the simulation can count (Unix nanoseconds in an i64).
const TIME_RANGE: &str = "1677-09-21T00:12:43Z to 2262-04-11T23:47:16Z";

/// Images from `aws ecr describe-images` output: `{"imageDetails": [...]}` (or the bare list),
/// times as RFC 3339 strings or epoch seconds. A time that is unreadable or outside the range
/// the simulation counts is refused, naming the image and the field.
pub fn images_from_describe(text: &str) -> Result<Vec<SimImage>, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("The images file is not JSON (line {}): {e}", e.line()))?;
    let list = v
        .get("imageDetails")
        .unwrap_or(&v)
        .as_array()
        .ok_or("The images file needs an “imageDetails” list (the output of aws ecr describe-images).")?;
    list.iter()
        .enumerate()
        .map(|(i, d)| {
            let digest = d["imageDigest"].as_str().ok_or(format!("imageDetails[{i}] has no imageDigest"))?;
            let time = |field: &str| describe_time(&d[field], i, digest, field);
            let pushed = time("imagePushedAt")?
                .ok_or(format!("Image {digest} (imageDetails[{i}]) has no imagePushedAt."))?;
            let storage_class = match &d["imageStatus"] {
                Value::Null => None,
                Value::String(s) if s == "ARCHIVED" => Some(ImageStorageClass::Archive),
                Value::String(s) if s == "ACTIVE" || s == "ACTIVATING" => None,
                other => {
                    return Err(format!(
                        "Image {digest} (imageDetails[{i}]): imageStatus is {}; ECR reports \"ACTIVE\", \"ARCHIVED\" or \"ACTIVATING\".",
                        kind(other)
                    ))
                }
            };
            Ok(SimImage {
                image_digest: digest.to_string(),
                image_tags: d["imageTags"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect())
                    .unwrap_or_default(),
                image_pushed_at: pushed,
                last_recorded_pull_time: time("lastRecordedPullTime")?,
                last_transitioned_at: time("lastArchivedAt")?,
                storage_class,
            })
        })
        .collect()
}

/// One time of a describe-images entry as RFC 3339 in UTC; None when absent.
fn describe_time(t: &Value, i: usize, digest: &str, field: &str) -> Result<Option<String>, String> {
    let image = format!("Image {digest} (imageDetails[{i}])");
    let nanos: i128 = match t {
        Value::Null => return Ok(None),
        Value::String(s) => OffsetDateTime::parse(s, &Rfc3339)
            .map_err(|e| format!("{image}: {field} {s:?} is not an RFC 3339 time: {e}."))?
            .unix_timestamp_nanos(),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(secs), _) => i128::from(secs) * 1_000_000_000,
            (None, Some(secs)) if secs.is_finite() && secs.abs() < 1e12 => {
                i128::from(secs.trunc() as i64) * 1_000_000_000 + (secs.fract() * 1e9).round() as i128
            }
            _ => i128::MAX,
        },
        other => {
            return Err(format!("{image}: {field} must be a time (RFC 3339 or epoch seconds); it is {}.", kind(other)))
        }
    };
    let shown = match t {
        Value::String(s) => s.clone(),
        other => format!("{other} (epoch seconds)"),
    };
    let nanos = i64::try_from(nanos).map_err(|_| {
        format!("{image}: {field} {shown} is outside the times the simulation can count ({TIME_RANGE}).")
    })?;
    let utc =
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos)).map_err(|e| format!("{image}: {field}: {e}"))?;
    utc.format(&Rfc3339).map(Some).map_err(|e| format!("{image}: {field}: {e}"))
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
                let unit = if limit == 1 { "day" } else { "days" };
                write!(f, "rule {rule}: {subject} {label} {days} days ago, more than {limit} {unit}")
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
    class: StorageClass,
    prefixes: &'a [String],
    patterns: Vec<Glob<'a>>,
}

impl<'a> Matcher<'a> {
    fn new(s: &'a Selection) -> Matcher<'a> {
        Matcher {
            selection: s,
            class: s.storage_class.unwrap_or_default(),
            prefixes: s.tag_prefix_list.as_deref().unwrap_or_default(),
            patterns: s.tag_pattern_list.iter().flatten().map(|p| Glob::new(p)).collect(),
        }
    }

    fn matches(&self, image: &SimImage) -> bool {
        if StorageClass::from(image.storage_class.unwrap_or_default()) != self.class {
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
    /// u64 words of test bits per image.
    words: usize,
    /// Per rule: tag status, class, and the bits it needs.
    rules: Vec<(TagStatus, StorageClass, Vec<u64>)>,
}

/// What the rules need to know of every image, computed in one pass.
struct ImageFacts {
    tagged: Vec<bool>,
    class: Vec<StorageClass>,
    bits: Vec<u64>,
}

impl<'a> Selector<'a> {
    fn new(selections: &[&'a Selection]) -> Selector<'a> {
        let mut tests: Vec<TagTest<'a>> = Vec::new();
        let place = |list: &mut Vec<TagTest<'a>>, t: TagTest<'a>| match list.iter().position(|x| *x == t) {
            Some(at) => at,
            None => {
                list.push(t);
                list.len() - 1
            }
        };
        let needs: Vec<(TagStatus, StorageClass, Vec<usize>)> = selections
            .iter()
            .map(|s| {
                let class = s.storage_class.unwrap_or_default();
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
        Selector { tests, globs, words, rules }
    }

    fn facts(&self, images: &[SimImage]) -> ImageFacts {
        let mut bits = vec![0u64; images.len() * self.words];
        let mut class = Vec::with_capacity(images.len());
        let mut tagged = Vec::with_capacity(images.len());
        for (image, bits) in images.iter().zip(bits.chunks_exact_mut(self.words)) {
            class.push(StorageClass::from(image.storage_class.unwrap_or_default()));
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

/// Why a time cannot be simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeError {
    Unreadable,
    OutOfRange,
}

/// `2026-11-24T12:00:00Z` / `…:00.123Z` quickly (the common shape of ECR times), else through
/// the full RFC 3339 parser. Unix nanoseconds, which an i64 holds from 1677 to 2262.
fn epoch_nanos(t: &str) -> Result<i64, TimeError> {
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
        Some(i128::from(days * 86_400 + h * 3600 + mi * 60 + sec) * 1_000_000_000 + i128::from(frac))
    })();
    let nanos = match fast {
        Some(n) => n,
        None => OffsetDateTime::parse(t, &Rfc3339).map_err(|_| TimeError::Unreadable)?.unix_timestamp_nanos(),
    };
    i64::try_from(nanos).map_err(|_| TimeError::OutOfRange)
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

/// Every image's times in nanoseconds, read once before any rule runs.
struct Times {
    /// None: unknown (an empty push time).
    pushed: Vec<Option<i64>>,
    pulled: Vec<Option<i64>>,
    transitioned: Vec<Option<i64>>,
}

/// Problems of times listed before the rest are summed up in one.
const TIME_PROBLEMS_LISTED: usize = 10;

/// `at` and every image's times as nanoseconds, or a problem for each one the simulation
/// cannot count (unreadable, or outside 1677–2262), naming the image's digest and field.
fn read_times(images: &[SimImage], at: OffsetDateTime) -> Result<(i64, Times), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let now = i64::try_from(at.unix_timestamp_nanos()).map_err(|_| {
        let shown = at.format(&Rfc3339).unwrap_or_else(|_| at.to_string());
        problems.push(problem(
            "at".into(),
            format!("The evaluation time {shown} is outside the times the simulation can count ({TIME_RANGE})."),
        ));
    });
    let mut bad = 0usize;
    let mut read = |i: usize, field: &str, t: Option<&str>| -> Option<i64> {
        let t = t.filter(|t| !t.is_empty())?;
        let why = match epoch_nanos(t) {
            Ok(n) => return Some(n),
            Err(TimeError::Unreadable) => "is not an RFC 3339 time".to_string(),
            Err(TimeError::OutOfRange) => format!("is outside the times the simulation can count ({TIME_RANGE})"),
        };
        bad += 1;
        if bad <= TIME_PROBLEMS_LISTED {
            problems.push(problem(
                format!("images[{i}].{field}"),
                format!("Image {} (images[{i}]): {field} {t:?} {why}.", images[i].image_digest),
            ));
        }
        None
    };
    let mut times = Times {
        pushed: Vec::with_capacity(images.len()),
        pulled: Vec::with_capacity(images.len()),
        transitioned: Vec::with_capacity(images.len()),
    };
    for (i, image) in images.iter().enumerate() {
        times.pushed.push(read(i, "imagePushedAt", Some(&image.image_pushed_at)));
        times.pulled.push(read(i, "lastRecordedPullTime", image.last_recorded_pull_time.as_deref()));
        times.transitioned.push(read(i, "lastTransitionedAt", image.last_transitioned_at.as_deref()));
    }
    if bad > TIME_PROBLEMS_LISTED {
        problems.push(problem(
            "images".into(),
            format!("{} more times of images cannot be simulated.", bad - TIME_PROBLEMS_LISTED),
        ));
    }
    match now {
        Ok(now) if problems.is_empty() => Ok((now, times)),
        _ => Err(problems),
    }
}

/// Run `policy` over `images` as of `at`. Answers the decisions, in the images' order; or,
/// when `at` or a time of an image is unreadable or beyond what the simulation counts
/// (1677–2262), a problem for each (field `at`, or `images[3].imagePushedAt`), and no decision.
pub fn simulate(
    policy: &LifecyclePolicy,
    images: &[SimImage],
    at: OffsetDateTime,
) -> Result<Vec<Decision>, Vec<FieldProblem>> {
    let (now, times) = read_times(images, at)?;
    Ok(simulate_times(policy, images, now, &times))
}

fn simulate_times(policy: &LifecyclePolicy, images: &[SimImage], now: i64, times: &Times) -> Vec<Decision> {
    let mut rules: Vec<&Rule> = policy.rules.iter().collect();
    rules.sort_by_key(|r| r.rule_priority);
    let pushed = &times.pushed;
    // Newest first; equal push times in a stable order (by digest). Once for every count rule.
    // An unknown push time sorts as the oldest and is never old enough for an age rule.
    let mut newest_first: Vec<(i64, u32)> =
        pushed.iter().enumerate().map(|(i, t)| (t.unwrap_or(i64::MIN), i as u32)).collect();
    newest_first.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| images[a.1 as usize].image_digest.cmp(&images[b.1 as usize].image_digest))
    });
    const DAY: i128 = 86_400 * 1_000_000_000;
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
                // In i128: two times of 1677 and 2262 are further apart than an i64 counts.
                let limit = n as i128 * DAY;
                for i in (0..images.len()).filter(|&i| matches[i]) {
                    let (when, since) = match s.count_type {
                        CountType::SinceImagePulled => match times.pulled[i] {
                            Some(t) => (Some(t), Since::LastPulled),
                            None => (pushed[i], Since::NeverPulled),
                        },
                        CountType::SinceImageTransitioned => (times.transitioned[i].or(pushed[i]), Since::Archived),
                        _ => (pushed[i], Since::Pushed),
                    };
                    let Some(when) = when else { continue };
                    let age = i128::from(now) - i128::from(when);
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

/// Validate and, when the document has ECR's shape, simulate (a policy that breaks one of
/// ECR's rules is still simulated, so the user sees both what is wrong and what it would do;
/// one with fields ECR does not know, or of the wrong type, is not). `at` (RFC 3339; default
/// now) and the images' times must be readable and within 1677–2262, else they are problems
/// too and nothing is simulated.
pub fn simulate_text(text: &str, images: &[SimImage], at: Option<&str>) -> Simulation {
    let (mut problems, policy) = check(text);
    let at = match at {
        Some(t) => match OffsetDateTime::parse(t, &Rfc3339) {
            Ok(at) => Some(at),
            Err(e) => {
                problems.push(problem("at".into(), format!("“{t}” is not a date and time (RFC 3339): {e}")));
                None
            }
        },
        None => Some(OffsetDateTime::now_utc()),
    };
    let times = at.map(|at| read_times(images, at));
    let decisions = match (policy, times) {
        (Some(p), Some(Ok((now, times)))) => simulate_times(&p, images, now, &times),
        (_, Some(Err(time_problems))) => {
            problems.extend(time_problems);
            Vec::new()
        }
        _ => Vec::new(),
    };
    Simulation { problems, decisions }
}

/// The state of ECR's own preview (LifecyclePolicyPreviewStatus), spelt as ECR spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LifecyclePreviewStatus {
    InProgress,
    Complete,
    Expired,
    Failed,
}

impl LifecyclePreviewStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LifecyclePreviewStatus::InProgress => "IN_PROGRESS",
            LifecyclePreviewStatus::Complete => "COMPLETE",
            LifecyclePreviewStatus::Expired => "EXPIRED",
            LifecyclePreviewStatus::Failed => "FAILED",
        }
    }

    /// Has ECR stopped working on the preview (complete, expired or failed)?
    pub fn is_final(self) -> bool {
        self != LifecyclePreviewStatus::InProgress
    }
}

impl std::str::FromStr for LifecyclePreviewStatus {
    type Err = String;

    /// ECR's spelling (`IN_PROGRESS`, `COMPLETE`, `EXPIRED`, `FAILED`); anything else is an error.
    fn from_str(s: &str) -> Result<Self, String> {
        [
            LifecyclePreviewStatus::InProgress,
            LifecyclePreviewStatus::Complete,
            LifecyclePreviewStatus::Expired,
            LifecyclePreviewStatus::Failed,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
        .ok_or_else(|| format!("ECR answered an unknown lifecycle preview status {s:?}."))
    }
}

impl std::fmt::Display for LifecyclePreviewStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ECR's own preview of a policy (StartLifecyclePolicyPreview), where the endpoint offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EcrPreview {
    pub status: LifecyclePreviewStatus,
    /// (digest, rule priority) of each image ECR would act on.
    pub results: Vec<EcrPreviewHit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EcrPreviewHit {
    pub digest: String,
    pub rule_priority: i64,
}
