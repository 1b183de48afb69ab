//! The lifecycle simulator against the worked examples of the AWS documentation ("Examples of
//! lifecycle policies in Amazon ECR"), validation per rule and field, and properties.

use berth_core::lifecycle::*;
use proptest::prelude::*;
use time::macros::datetime;
use time::OffsetDateTime;

const NOW: OffsetDateTime = datetime!(2026-11-24 12:00 UTC);

fn image(digest: &str, tags: &[&str], days_ago: i64) -> SimImage {
    let at = NOW - time::Duration::days(days_ago);
    SimImage {
        image_digest: digest.into(),
        image_tags: tags.iter().map(|t| t.to_string()).collect(),
        image_pushed_at: at.format(&time::format_description::well_known::Rfc3339).unwrap(),
        last_recorded_pull_time: None,
        last_transitioned_at: None,
        storage_class: None,
    }
}

fn policy(json: &str) -> LifecyclePolicy {
    parse(json).unwrap()
}

fn expired(p: &LifecyclePolicy, images: &[SimImage]) -> Vec<String> {
    let mut d: Vec<String> =
        simulate(p, images, NOW).unwrap().into_iter().map(|d| images[d.image as usize].image_digest.clone()).collect();
    d.sort();
    d
}

fn rule(priority: i64, selection: &str) -> String {
    format!(r#"{{"rulePriority": {priority}, "selection": {selection}, "action": {{"type": "expire"}}}}"#)
}

#[test]
fn docs_filtering_on_image_age() {
    let p = policy(&format!(
        r#"{{"rules": [{}]}}"#,
        rule(
            1,
            r#"{"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}"#
        )
    ));
    let images = [image("old", &[], 20), image("new", &[], 3), image("tagged-old", &["v1"], 30)];
    assert_eq!(expired(&p, &images), ["old"]);
    let d = simulate(&p, &images, NOW).unwrap();
    assert_eq!(d[0].reason.to_string(), "rule 1: untagged image pushed 20 days ago, more than 14 days");
}

#[test]
fn docs_filtering_on_image_count() {
    let p = policy(&format!(
        r#"{{"rules": [{}]}}"#,
        rule(1, r#"{"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1}"#)
    ));
    let images = [image("a", &[], 5), image("b", &[], 4), image("c", &[], 3)];
    assert_eq!(expired(&p, &images), ["a", "b"]);
}

/// Example A of "Filtering on multiple rules": Image B matches rule 1's selection, so rule 2
/// cannot expire it although it is beyond rule 2's count.
#[test]
fn docs_multiple_rules_example_a() {
    let p = policy(&format!(
        r#"{{"rules": [{}, {}]}}"#,
        rule(
            1,
            r#"{"tagStatus": "tagged", "tagPrefixList": ["prod"], "countType": "imageCountMoreThan", "countNumber": 1}"#
        ),
        rule(
            2,
            r#"{"tagStatus": "tagged", "tagPrefixList": ["beta"], "countType": "imageCountMoreThan", "countNumber": 1}"#
        )
    ));
    let images =
        [image("A", &["beta-1", "prod-1"], 10), image("B", &["beta-2", "prod-2"], 9), image("C", &["beta-3"], 8)];
    assert_eq!(expired(&p, &images), ["A"]);
    let d = simulate(&p, &images, NOW).unwrap();
    assert_eq!(d[0].rule_priority, 1);
    assert_eq!(d[0].reason.to_string(), "rule 1: 2nd newest image tagged `prod*`, keeps 1");
}

/// Example B: every image carries both prefixes.
#[test]
fn docs_multiple_rules_example_b() {
    let p = policy(&format!(
        r#"{{"rules": [{}, {}]}}"#,
        rule(
            1,
            r#"{"tagStatus": "tagged", "tagPrefixList": ["prod"], "countType": "imageCountMoreThan", "countNumber": 1}"#
        ),
        rule(
            2,
            r#"{"tagStatus": "tagged", "tagPrefixList": ["beta"], "countType": "imageCountMoreThan", "countNumber": 1}"#
        )
    ));
    let images = [
        image("A", &["beta-1", "prod-1"], 10),
        image("B", &["beta-2", "prod-2"], 9),
        image("C", &["beta-3", "prod-3"], 8),
    ];
    assert_eq!(expired(&p, &images), ["A", "B"]);
}

/// "Filtering on multiple tags in a single rule": only images with both an alpha and a beta tag.
#[test]
fn docs_multiple_tags_in_one_rule() {
    let images = [
        image("A", &["alpha-1"], 12),
        image("B", &["beta-1"], 11),
        image("C", &["alpha-2", "beta-2"], 10),
        image("D", &["alpha-3"], 4),
        image("E", &["beta-3"], 3),
        image("F", &["alpha-4", "beta-4"], 2),
    ];
    let count = policy(&format!(
        r#"{{"rules": [{}]}}"#,
        rule(
            1,
            r#"{"tagStatus": "tagged", "tagPrefixList": ["alpha", "beta"], "countType": "imageCountMoreThan", "countNumber": 1}"#
        )
    ));
    assert_eq!(expired(&count, &images), ["C"]);
    let age = policy(&format!(
        r#"{{"rules": [{}]}}"#,
        rule(
            1,
            r#"{"tagStatus": "tagged", "tagPrefixList": ["alpha", "beta"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 5}"#
        )
    ));
    assert_eq!(expired(&age, &images), ["C"]);
}

/// "Filtering on all images": a rule for any tag status keeps the newest only; an earlier rule's
/// selection shields its images.
#[test]
fn docs_all_images() {
    let images = [image("A", &["alpha-1"], 4), image("B", &[], 3), image("C", &["beta-1"], 2), image("D", &[], 1)];
    let all = policy(&format!(
        r#"{{"rules": [{}]}}"#,
        rule(1, r#"{"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}"#)
    ));
    assert_eq!(expired(&all, &images), ["A", "B", "C"]);
    let shielded = policy(&format!(
        r#"{{"rules": [{}, {}]}}"#,
        rule(
            1,
            r#"{"tagStatus": "tagged", "tagPrefixList": ["alpha"], "countType": "imageCountMoreThan", "countNumber": 1}"#
        ),
        rule(2, r#"{"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}"#)
    ));
    // A is matched by rule 1 (and kept by it): rule 2 counts it but cannot expire it.
    assert_eq!(expired(&shielded, &images), ["B", "C"]);
}

#[test]
fn patterns_with_wildcards() {
    let p = policy(&format!(
        r#"{{"rules": [{}]}}"#,
        rule(
            1,
            r#"{"tagStatus": "tagged", "tagPatternList": ["prod*-rc*"], "countType": "imageCountMoreThan", "countNumber": 1}"#
        )
    ));
    let images = [image("a", &["prod-1-rc1"], 3), image("b", &["prod-2-rc2"], 2), image("c", &["prod-3"], 1)];
    assert_eq!(expired(&p, &images), ["a"]);
}

#[test]
fn more_tag_tests_than_fit_one_word() {
    // 70 rules with a prefix each: the simulator's per-image bit masks span two words.
    let rules: Vec<String> = (0..70)
        .map(|k| {
            let selection = format!(
                r#"{{"tagStatus": "tagged", "tagPrefixList": ["p{k}-"], "countType": "imageCountMoreThan", "countNumber": 1}}"#
            );
            rule(k + 1, &selection)
        })
        .collect();
    let p = policy(&format!(r#"{{"rules": [{}]}}"#, rules.join(",")));
    let images: Vec<SimImage> = (0..70)
        .flat_map(|k| {
            [image(&format!("new-{k}"), &[&format!("p{k}-a")], 1), image(&format!("old-{k}"), &[&format!("p{k}-b")], 2)]
        })
        .collect();
    let decisions = simulate(&p, &images, NOW).unwrap();
    assert_eq!(decisions.len(), 70);
    for d in &decisions {
        let k = d.rule_priority - 1;
        assert_eq!(images[d.image as usize].image_digest, format!("old-{k}"));
        assert_eq!(d.reason.to_string(), format!("rule {}: 2nd newest image tagged `p{k}-*`, keeps 1", k + 1));
    }
    // The reason crosses to the UI and the CLI as its sentence.
    let json = serde_json::to_value(&decisions[69]).unwrap();
    assert_eq!(json["reason"], "rule 70: 2nd newest image tagged `p69-*`, keeps 1");
    assert_eq!(json["image"], 139);
}

#[test]
fn validation_says_which_rule_and_field() {
    let text = r#"{"rules": [
        {"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 3}, "action": {"type": "expire"}},
        {"rulePriority": 2, "selection": {"tagStatus": "tagged", "countType": "sinceImagePushed", "countNumber": 0}, "action": {"type": "expire"}},
        {"rulePriority": 2, "selection": {"tagStatus": "untagged", "tagPrefixList": ["x"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}},
        {"rulePriority": 4, "selection": {"tagStatus": "tagged", "tagPatternList": ["a*b*c*d*e*"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}
    ]}"#;
    let problems = validate(text);
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    for expected in [
        "rules[0].rulePriority",
        "rules[1].selection.tagPrefixList",
        "rules[1].selection.countNumber",
        "rules[1].selection.countUnit",
        "rules[2].rulePriority",
        "rules[2].selection.tagStatus",
        "rules[3].selection.tagPatternList[0]",
    ] {
        assert!(fields.contains(&expected), "{expected} missing from {problems:#?}");
    }
    assert!(problems.iter().any(|p| p.message.starts_with("Rule 3: priority 2 is already used by rule 2")));
    assert!(validate("{}").iter().any(|p| p.field == "policy"), "too short / not a policy");
    assert!(validate(&"x".repeat(200)).iter().any(|p| p.message.contains("not valid JSON")));
    let ok = format!(
        r#"{{"rules": [{}]}}"#,
        rule(
            1,
            r#"{"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}"#
        )
    );
    assert_eq!(validate(&ok), vec![]);
}

fn arb_selection() -> impl Strategy<Value = Selection> {
    let status = prop_oneof![Just(TagStatus::Tagged), Just(TagStatus::Untagged), Just(TagStatus::Any)];
    let count = prop_oneof![Just(CountType::ImageCountMoreThan), Just(CountType::SinceImagePushed)];
    let prefixes = prop::sample::subsequence(vec!["v", "prod", "beta", "rc"], 1..3);
    let patterns = prop::sample::subsequence(vec!["v*", "prod-*", "*-1", "p*d*2", "latest", "*", "r*c*"], 1..3);
    let class = prop_oneof![Just(None), Just(Some(StorageClass::Standard)), Just(Some(StorageClass::Archive))];
    (status, count, 1i64..6, prefixes, patterns, any::<bool>(), class).prop_map(
        |(tag_status, count_type, count_number, prefixes, patterns, use_patterns, class)| {
            let tagged = tag_status == TagStatus::Tagged;
            let strings = |l: Vec<&str>| l.into_iter().map(str::to_string).collect::<Vec<_>>();
            Selection {
                tag_status,
                tag_prefix_list: (tagged && !use_patterns).then(|| strings(prefixes)),
                tag_pattern_list: (tagged && use_patterns).then(|| strings(patterns)),
                storage_class: class,
                count_type,
                count_unit: (count_type == CountType::SinceImagePushed).then_some(CountUnit::Days),
                count_number,
            }
        },
    )
}

fn arb_policy() -> impl Strategy<Value = LifecyclePolicy> {
    prop::collection::vec(arb_selection(), 1..5).prop_map(|selections| LifecyclePolicy {
        rules: selections
            .into_iter()
            .enumerate()
            .map(|(i, selection)| Rule {
                rule_priority: i as i64 + 1,
                description: (i % 2 == 0).then(|| format!("rule {}", i + 1)),
                selection,
                action: Action { kind: ActionType::Expire, target_storage_class: None },
            })
            .collect(),
    })
}

fn arb_images() -> impl Strategy<Value = Vec<SimImage>> {
    let tags = prop::sample::subsequence(vec!["v1", "v2", "prod-1", "prod-2", "beta-1", "rc-1", "latest"], 0..3);
    prop::collection::vec((tags, 0i64..60, prop::bool::weighted(0.2)), 0..25).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (tags, days, archived))| SimImage {
                storage_class: archived.then_some(ImageStorageClass::Archive),
                // Digests not in push order, so ties of push time are broken by digest, not by place.
                ..image(&format!("sha256:{:064x}", (i * 7919) % 1000), &tags, days)
            })
            .collect()
    })
}

/// ECR's documented semantics written as plainly as can be (every rule selects with `selects`,
/// counts sort their own matches, shields are sets), to check the simulator against.
fn reference(p: &LifecyclePolicy, images: &[SimImage], now: OffsetDateTime) -> Vec<(usize, i64)> {
    let time = |t: &str| OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).unwrap();
    let mut rules: Vec<&Rule> = p.rules.iter().collect();
    rules.sort_by_key(|r| r.rule_priority);
    let mut decided: std::collections::BTreeMap<usize, i64> = Default::default();
    let mut shielded: std::collections::HashSet<usize> = Default::default();
    for rule in rules {
        let s = &rule.selection;
        let mut matched: Vec<usize> = (0..images.len()).filter(|&i| selects(s, &images[i])).collect();
        let acted: Vec<usize> = match s.count_type {
            CountType::ImageCountMoreThan => {
                matched.sort_by(|&a, &b| {
                    time(&images[b].image_pushed_at)
                        .cmp(&time(&images[a].image_pushed_at))
                        .then(images[a].image_digest.cmp(&images[b].image_digest))
                });
                matched.iter().copied().skip(s.count_number as usize).collect()
            }
            _ => matched
                .iter()
                .copied()
                .filter(|&i| now - time(&images[i].image_pushed_at) > time::Duration::days(s.count_number))
                .collect(),
        };
        for i in acted {
            if !shielded.contains(&i) {
                decided.entry(i).or_insert(rule.rule_priority);
            }
        }
        shielded.extend(matched);
    }
    decided.into_iter().collect()
}

proptest! {
    #[test]
    fn the_simulator_decides_what_the_plain_reading_decides(p in arb_policy(), images in arb_images()) {
        let fast: Vec<(usize, i64)> = simulate(&p, &images, NOW).unwrap().iter().map(|d| (d.image as usize, d.rule_priority)).collect();
        prop_assert_eq!(fast, reference(&p, &images, NOW));
    }

    #[test]
    fn no_image_is_expired_twice_nor_against_a_higher_rule(p in arb_policy(), images in arb_images()) {
        let decisions = simulate(&p, &images, NOW).unwrap();
        let mut seen = std::collections::HashSet::new();
        for d in &decisions {
            prop_assert!(seen.insert(d.image), "image {} decided twice", d.image);
            let img = &images[d.image as usize];
            for higher in p.rules.iter().filter(|r| r.rule_priority < d.rule_priority) {
                prop_assert!(!selects(&higher.selection, img), "{} matched rule {} yet went by rule {}", img.image_digest, higher.rule_priority, d.rule_priority);
            }
        }
    }

    #[test]
    fn a_lone_count_rule_expires_exactly_the_oldest_beyond_n(n in 1i64..8, images in arb_images()) {
        let p = LifecyclePolicy { rules: vec![Rule {
            rule_priority: 1, description: None,
            selection: Selection { tag_status: TagStatus::Any, tag_prefix_list: None, tag_pattern_list: None, storage_class: None,
                                   count_type: CountType::ImageCountMoreThan, count_unit: None, count_number: n },
            action: Action { kind: ActionType::Expire, target_storage_class: None },
        }]};
        let decisions = simulate(&p, &images, NOW).unwrap();
        // A rule without storageClass looks at standard images only.
        let standard: Vec<&SimImage> = images.iter().filter(|i| i.storage_class.is_none()).collect();
        prop_assert_eq!(decisions.len(), standard.len().saturating_sub(n as usize));
        let gone: std::collections::HashSet<&str> = decisions.iter().map(|d| images[d.image as usize].image_digest.as_str()).collect();
        for kept in standard.iter().filter(|i| !gone.contains(i.image_digest.as_str())) {
            for expired in images.iter().filter(|i| gone.contains(i.image_digest.as_str())) {
                prop_assert!(kept.image_pushed_at >= expired.image_pushed_at, "an older image was kept over a newer one");
            }
        }
    }

    #[test]
    fn parse_print_round_trip(p in arb_policy()) {
        let text = print(&p);
        let back = parse(&text).unwrap();
        prop_assert_eq!(&back, &p);
        prop_assert_eq!(print(&back), text);
    }
}

// ---- Documents ECR refuses: unknown fields and values of the wrong type ----

fn one_rule(priority: i64, selection: &str, action: &str) -> String {
    format!(
        r#"{{"rules": [{{"rulePriority": {priority}, "description": "a rule of the tests", "selection": {selection}, "action": {action}}}]}}"#
    )
}

fn fields_of(problems: &[berth_core::model::FieldProblem]) -> Vec<&str> {
    problems.iter().map(|p| p.field.as_str()).collect()
}

#[test]
fn unknown_fields_are_refused_naming_the_field_and_the_rule() {
    let text = one_rule(
        5,
        r#"{"tagStatus": "tagged", "tagPrefixListt": ["prod"], "countType": "imageCountMoreThan", "countNumber": 3}"#,
        r#"{"type": "expire"}"#,
    );
    let problems = validate(&text);
    let p = problems.iter().find(|p| p.field == "rules[0].selection.tagPrefixListt").expect("the misspelt field");
    assert_eq!(
        p.message,
        r#"Unknown field "tagPrefixListt" in rule 1 (priority 5): ECR refuses it. Did you mean "tagPrefixList"?"#
    );
    assert!(parse(&text).is_err(), "parse refuses what validate refuses");

    // At the top, in a rule, in the selection and in the action; a name far from every known
    // one gets no suggestion.
    let text = r#"{"rules": [{"rulePriority": 2, "bogus": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14, "bogus": true}, "action": {"type": "expire", "bogus": "x"}}], "bogus": {}}"#;
    let problems = validate(text);
    let fields = fields_of(&problems);
    for expected in ["bogus", "rules[0].bogus", "rules[0].selection.bogus", "rules[0].action.bogus"] {
        assert!(fields.contains(&expected), "{expected} missing from {problems:#?}");
    }
    let top = problems.iter().find(|p| p.field == "bogus").unwrap();
    assert_eq!(top.message, r#"Unknown field "bogus" at the top of the policy: ECR refuses it."#);
    let action = problems.iter().find(|p| p.field == "rules[0].action.bogus").unwrap();
    assert_eq!(action.message, r#"Unknown field "bogus" in rule 1 (priority 2): ECR refuses it."#);
    // A field in the wrong case is a near miss too.
    let text = one_rule(
        1,
        r#"{"tagStatus": "untagged", "countType": "sinceImagePushed", "countunit": "days", "countNumber": 14}"#,
        r#"{"type": "expire"}"#,
    );
    let problems = validate(&text);
    assert!(
        problems
            .iter()
            .any(|p| p.field == "rules[0].selection.countunit" && p.message.ends_with(r#"Did you mean "countUnit"?"#)),
        "{problems:#?}"
    );
}

#[test]
fn values_of_the_wrong_json_type_are_refused_where_they_are() {
    let cases: &[(&str, &str)] = &[
        (r#"[{"rulePriority": 1}]"#, "policy"),
        (r#"{"rules": "all of them"}"#, "rules"),
        (r#"{"rules": [7]}"#, "rules[0]"),
        (r#"{"rules": [{"rulePriority": 1, "selection": [], "action": {"type": "expire"}}]}"#, "rules[0].selection"),
        (
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": "expire"}]}"#,
            "rules[0].action",
        ),
        (
            r#"{"rules": [{"rulePriority": "1", "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
            "rules[0].rulePriority",
        ),
        (
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": "10"}, "action": {"type": "expire"}}]}"#,
            "rules[0].selection.countNumber",
        ),
        (
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 2.5}, "action": {"type": "expire"}}]}"#,
            "rules[0].selection.countNumber",
        ),
        (
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPatternList": "prod-*", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
            "rules[0].selection.tagPatternList",
        ),
        (
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["prod", 7], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
            "rules[0].selection.tagPrefixList[1]",
        ),
        (
            r#"{"rules": [{"rulePriority": 1, "description": null, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
            "rules[0].description",
        ),
        (
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
            "rules[0].selection.countType",
        ),
        (
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}}]}"#,
            "rules[0].action",
        ),
    ];
    for (text, field) in cases {
        let problems = validate(text);
        assert!(fields_of(&problems).contains(field), "{text}: {field} missing from {problems:#?}");
        // (parse reads an optional field's null as absent; validate says ECR wants it left out.)
        assert!(parse(text).is_err() || text.contains("null"), "{text} parses");
    }
    let problems = validate(&one_rule(
        3,
        r#"{"tagStatus": "tagd", "countType": "imageCountMoreThan", "countNumber": 1}"#,
        r#"{"type": "expire"}"#,
    ));
    let p = problems.iter().find(|p| p.field == "rules[0].selection.tagStatus").unwrap();
    assert_eq!(
        p.message,
        r#"Rule 1 (priority 3): "tagStatus" is "tagd"; ECR accepts "tagged", "untagged", "any". Did you mean "tagged"?"#
    );
    let p = &validate(&one_rule(
        3,
        r#"{"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}"#,
        r#"["expire"]"#,
    ))[0];
    assert_eq!(p.message, r#"Rule 1 (priority 3): "action" must be an object; it is a list."#);
}

#[test]
fn a_misspelt_rule_is_not_simulated_as_if_it_took_every_image() {
    let text = one_rule(
        1,
        r#"{"tagStatus": "tagged", "tagPrefixListt": ["prod"], "countType": "imageCountMoreThan", "countNumber": 1}"#,
        r#"{"type": "expire"}"#,
    );
    let images = [image("a", &["dev-1"], 3), image("b", &["dev-2"], 2), image("c", &["prod-1"], 1)];
    let sim = simulate_text(&text, &images, Some("2026-11-24T12:00:00Z"));
    assert!(fields_of(&sim.problems).contains(&"rules[0].selection.tagPrefixListt"), "{:#?}", sim.problems);
    assert_eq!(sim.decisions, vec![]);
}

// ---- Times the simulation cannot count (i64 nanoseconds: 1677 to 2262) ----

fn ok_policy() -> String {
    one_rule(
        1,
        r#"{"tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1}"#,
        r#"{"type": "expire"}"#,
    )
}

#[test]
fn an_evaluation_time_outside_the_range_is_refused_by_name() {
    let images = [image("a", &[], 3)];
    let sim = simulate_text(&ok_policy(), &images, Some("1600-01-01T00:00:00Z"));
    assert_eq!(fields_of(&sim.problems), ["at"], "{:#?}", sim.problems);
    assert!(sim.problems[0].message.contains("1600-01-01T00:00:00Z"), "{}", sim.problems[0].message);
    assert!(sim.problems[0].message.contains("1677"), "{}", sim.problems[0].message);
    assert_eq!(sim.decisions, vec![]);
    let p = policy(&ok_policy());
    for at in [datetime!(1600-01-01 0:00 UTC), datetime!(2300-01-01 0:00 UTC)] {
        let problems = simulate(&p, &images, at).unwrap_err();
        assert_eq!(fields_of(&problems), ["at"]);
    }
    // An unreadable `at` is not replaced by "now" either.
    let sim = simulate_text(&ok_policy(), &images, Some("next tuesday"));
    assert_eq!(fields_of(&sim.problems), ["at"]);
    assert_eq!(sim.decisions, vec![]);
}

#[test]
fn image_times_outside_the_range_are_refused_naming_the_image_and_field() {
    let p = policy(&ok_policy());
    let mut late = image("sha256:late", &["v1"], 0);
    late.image_pushed_at = "2300-01-01T00:00:00Z".into();
    let mut early_pull = image("sha256:early", &[], 5);
    early_pull.last_recorded_pull_time = Some("1600-01-01T00:00:00Z".into());
    let mut garbled = image("sha256:garbled", &[], 5);
    garbled.last_transitioned_at = Some("yesterday".into());
    let images = [image("fine", &[], 3), late, early_pull, garbled];
    let problems = simulate(&p, &images, NOW).unwrap_err();
    assert_eq!(
        fields_of(&problems),
        ["images[1].imagePushedAt", "images[2].lastRecordedPullTime", "images[3].lastTransitionedAt"]
    );
    assert!(problems[0].message.contains("sha256:late") && problems[0].message.contains("2300-01-01T00:00:00Z"));
    assert!(problems[1].message.contains("sha256:early") && problems[1].message.contains("lastRecordedPullTime"));
    assert!(problems[2].message.contains("not an RFC 3339 time"), "{}", problems[2].message);
    // The studio's entry point gives problems, not a panic nor a wrong preview.
    let sim = simulate_text(&ok_policy(), &images, Some("2026-11-24T12:00:00Z"));
    assert_eq!(sim.problems.len(), 3, "{:#?}", sim.problems);
    assert_eq!(sim.decisions, vec![]);
    // Many bad times: the first ten, and a count of the rest.
    let many: Vec<SimImage> = (0..25)
        .map(|i| SimImage { image_pushed_at: "2300-01-01T00:00:00Z".into(), ..image(&format!("d{i}"), &[], 0) })
        .collect();
    let problems = simulate(&p, &many, NOW).unwrap_err();
    assert_eq!(problems.len(), 11);
    assert_eq!(problems[10].field, "images");
    assert!(problems[10].message.starts_with("15 more"), "{}", problems[10].message);
}

#[test]
fn the_ends_of_the_range_simulate_without_saturating() {
    // 1678 to 2262 is more nanoseconds than an i64 holds: the age must still be exact.
    let p = policy(&ok_policy());
    let old = SimImage { image_pushed_at: "1678-01-01T00:00:00Z".into(), ..image("old", &[], 0) };
    let at = datetime!(2262-01-01 0:00 UTC);
    let decisions = simulate(&p, &[old], at).unwrap();
    let days = (at - datetime!(1678-01-01 0:00 UTC)).whole_days();
    assert_eq!(decisions[0].reason.to_string(), format!("rule 1: image pushed {days} days ago, more than 1 day"));
    // An empty push time is unknown, as before: never old enough.
    let unknown = SimImage { image_pushed_at: String::new(), ..image("unknown", &[], 0) };
    assert_eq!(simulate(&p, &[unknown], NOW).unwrap(), vec![]);
}

#[test]
fn describe_images_times_outside_the_range_are_refused() {
    let file = |pushed: &str, extra: &str| {
        format!(r#"{{"imageDetails": [{{"imageDigest": "sha256:aaa", "imagePushedAt": {pushed}{extra}}}]}}"#)
    };
    let ok = images_from_describe(&file("1700000000.5", "")).unwrap();
    assert_eq!(ok[0].image_pushed_at, "2023-11-14T22:13:20.5Z");
    for (text, field) in [
        (file(r#""2300-01-01T00:00:00Z""#, ""), "imagePushedAt"),
        (file("10000000000", ""), "imagePushedAt"),
        (file(r#""1600-01-01T00:00:00+00:00""#, ""), "imagePushedAt"),
        (file("1700000000", r#", "lastRecordedPullTime": "2300-06-01T00:00:00Z""#), "lastRecordedPullTime"),
        (file("1700000000", r#", "lastArchivedAt": "1500-06-01T00:00:00Z""#), "lastArchivedAt"),
        (file("1700000000", r#", "lastRecordedPullTime": "soon""#), "lastRecordedPullTime"),
    ] {
        let e = images_from_describe(&text).unwrap_err();
        assert!(e.contains("sha256:aaa") && e.contains(field), "{text}: {e}");
    }
}

// ---- Closed domains as types, with ECR's spellings ----

#[test]
fn storage_classes_units_and_statuses_are_types_spelt_as_ecr_spells_them() {
    let text = r#"{
  "rules": [
    {
      "rulePriority": 1,
      "selection": {
        "tagStatus": "any",
        "storageClass": "archive",
        "countType": "sinceImageTransitioned",
        "countUnit": "days",
        "countNumber": 90
      },
      "action": {
        "type": "expire"
      }
    },
    {
      "rulePriority": 2,
      "selection": {
        "tagStatus": "untagged",
        "countType": "sinceImagePulled",
        "countUnit": "days",
        "countNumber": 30
      },
      "action": {
        "type": "transition",
        "targetStorageClass": "archive"
      }
    }
  ]
}"#;
    let p = parse(text).unwrap();
    assert_eq!(p.rules[0].selection.storage_class, Some(StorageClass::Archive));
    assert_eq!(p.rules[0].selection.count_unit, Some(CountUnit::Days));
    assert_eq!(p.rules[1].action.target_storage_class, Some(StorageClass::Archive));
    assert_eq!(print(&p), text, "the JSON is ECR's, byte for byte");
    // Rule 1 is for `any` tag and not last, but it is the last (only) rule of archived images:
    // ECR orders the rules of each storage class apart (its archive example has an `any` rule
    // in each class).
    assert_eq!(fields_of(&validate(text)), Vec::<&str>::new());
    let both_standard = text.replace(
        r#""storageClass": "archive",
        "countType": "sinceImageTransitioned",
        "countUnit": "days",
        "countNumber": 90"#,
        r#""countType": "sinceImagePushed",
        "countUnit": "days",
        "countNumber": 90"#,
    );
    assert_ne!(both_standard, text);
    assert_eq!(fields_of(&validate(&both_standard)), ["rules[0].rulePriority"]);

    // An unknown value is a problem of its field, not a default.
    for (selection, action, field) in [
        (
            r#"{"tagStatus": "any", "storageClass": "glacier", "countType": "imageCountMoreThan", "countNumber": 1}"#,
            r#"{"type": "expire"}"#,
            "rules[0].selection.storageClass",
        ),
        (
            r#"{"tagStatus": "any", "storageClass": "ARCHIVE", "countType": "imageCountMoreThan", "countNumber": 1}"#,
            r#"{"type": "expire"}"#,
            "rules[0].selection.storageClass",
        ),
        (
            r#"{"tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "hours", "countNumber": 1}"#,
            r#"{"type": "expire"}"#,
            "rules[0].selection.countUnit",
        ),
        (
            r#"{"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}"#,
            r#"{"type": "transition", "targetStorageClass": "standard"}"#,
            "rules[0].action.targetStorageClass",
        ),
        (
            r#"{"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}"#,
            r#"{"type": "delete"}"#,
            "rules[0].action.type",
        ),
    ] {
        let text = one_rule(1, selection, action);
        assert_eq!(fields_of(&validate(&text)), [field], "{text}");
    }

    // Images report their class as ECR's API does.
    let img: SimImage = serde_json::from_str(
        r#"{"imageDigest": "sha256:a", "imagePushedAt": "2026-01-01T00:00:00Z", "storageClass": "ARCHIVE"}"#,
    )
    .unwrap();
    assert_eq!(img.storage_class, Some(ImageStorageClass::Archive));
    assert_eq!(serde_json::to_value(&img).unwrap()["storageClass"], "ARCHIVE");
    assert!(serde_json::from_str::<SimImage>(
        r#"{"imageDigest": "sha256:a", "imagePushedAt": "2026-01-01T00:00:00Z", "storageClass": "glacier"}"#
    )
    .is_err());

    // ECR's preview status.
    for (s, status) in [
        ("IN_PROGRESS", LifecyclePreviewStatus::InProgress),
        ("COMPLETE", LifecyclePreviewStatus::Complete),
        ("EXPIRED", LifecyclePreviewStatus::Expired),
        ("FAILED", LifecyclePreviewStatus::Failed),
    ] {
        assert_eq!(s.parse::<LifecyclePreviewStatus>(), Ok(status));
        assert_eq!(serde_json::to_value(status).unwrap(), s);
        assert_eq!(status.to_string(), s);
    }
    assert!("DONE".parse::<LifecyclePreviewStatus>().is_err());
    let preview = EcrPreview {
        status: LifecyclePreviewStatus::Complete,
        results: vec![EcrPreviewHit { digest: "sha256:a".into(), rule_priority: 1 }],
    };
    let json = serde_json::to_string(&preview).unwrap();
    assert_eq!(json, r#"{"status":"COMPLETE","results":[{"digest":"sha256:a","rule_priority":1}]}"#);
    assert_eq!(serde_json::from_str::<EcrPreview>(&json).unwrap(), preview);
}

#[test]
fn describe_images_reads_the_archive_state_and_when_it_was_archived() {
    let text = r#"{"imageDetails": [
        {"imageDigest": "sha256:a", "imagePushedAt": "2026-01-01T00:00:00Z", "imageStatus": "ARCHIVED",
         "lastArchivedAt": "2026-03-01T00:00:00Z", "lastActivatedAt": "2026-02-01T00:00:00Z"},
        {"imageDigest": "sha256:b", "imagePushedAt": "2026-01-01T00:00:00Z", "imageStatus": "ACTIVE"}
    ]}"#;
    let images = images_from_describe(text).unwrap();
    assert_eq!(images[0].storage_class, Some(ImageStorageClass::Archive));
    assert_eq!(images[0].last_transitioned_at.as_deref(), Some("2026-03-01T00:00:00Z"));
    assert_eq!(images[1].storage_class, None);
    let unknown = text.replace("\"ACTIVE\"", "\"FROZEN\"");
    let e = images_from_describe(&unknown).unwrap_err();
    assert!(e.contains("sha256:b") && e.contains("imageStatus"), "{e}");
    // An archive rule counts from the archiving.
    let p = policy(&one_rule(
        1,
        r#"{"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 100}"#,
        r#"{"type": "expire"}"#,
    ));
    let d = simulate(&p, &images, datetime!(2026-06-20 0:00 UTC)).unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].reason.to_string(), "rule 1: image archived 111 days ago, more than 100 days");
}

/// The archive storage class (ECR, November 2025), after the documentation's pattern: archive
/// images nobody pulled for 90 days, and expire archived images a year after archiving.
#[test]
fn docs_archive_unpulled_images_then_expire_them_from_the_archive() {
    let text = r#"{"rules": [
        {"rulePriority": 1, "description": "Delete images archived for a year",
         "selection": {"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365},
         "action": {"type": "expire"}},
        {"rulePriority": 2, "description": "Archive images not pulled in 90 days",
         "selection": {"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90},
         "action": {"type": "transition", "targetStorageClass": "archive"}}
    ]}"#;
    assert_eq!(validate(text), vec![], "the documented shape is valid");
    let p = policy(text);
    let days = |n: i64| (NOW - time::Duration::days(n)).format(&time::format_description::well_known::Rfc3339).unwrap();
    let mut pulled_lately = image("sha256:a", &["1.0"], 400);
    pulled_lately.last_recorded_pull_time = Some(days(10));
    let mut never_pulled = image("sha256:b", &["0.9"], 200);
    never_pulled.last_recorded_pull_time = None;
    let mut archived_recently = image("sha256:c", &["0.8"], 500);
    archived_recently.storage_class = Some(ImageStorageClass::Archive);
    archived_recently.last_transitioned_at = Some(days(100));
    let mut archived_long_ago = image("sha256:d", &["0.7"], 900);
    archived_long_ago.storage_class = Some(ImageStorageClass::Archive);
    archived_long_ago.last_transitioned_at = Some(days(400));
    let images = [pulled_lately, never_pulled, archived_recently, archived_long_ago];
    let decisions = simulate(&p, &images, NOW).unwrap();
    let by_image: Vec<(&str, ActionType, u32)> = decisions
        .iter()
        .map(|d| (images[d.image as usize].image_digest.as_str(), d.action, d.rule_priority as u32))
        .collect();
    // Never pulled, pushed 200 days ago: archived by rule 2 (counted from the push).
    assert!(by_image.contains(&("sha256:b", ActionType::Transition, 2)), "{by_image:?}");
    // In the archive for 400 days: expired by rule 1; 100 days: kept.
    assert!(by_image.contains(&("sha256:d", ActionType::Expire, 1)), "{by_image:?}");
    assert!(!by_image.iter().any(|(d, _, _)| *d == "sha256:a" || *d == "sha256:c"), "{by_image:?}");
    assert_eq!(decisions.len(), 2);
}

#[test]
fn archive_rules_ecr_refuses_are_refused_on_their_field() {
    let fields = |selection: &str, action: &str| -> Vec<String> {
        validate(&format!(r#"{{"rules": [{{"rulePriority": 1, "selection": {selection}, "action": {action}}}]}}"#))
            .into_iter()
            .map(|p| p.field)
            .collect()
    };
    let expire = r#"{"type": "expire"}"#;
    // Under ECR's 90-day minimum of archive storage.
    assert_eq!(
        fields(
            r#"{"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 30}"#,
            expire
        ),
        ["rules[0].selection.countNumber"]
    );
    // Time since archiving of standard images.
    assert_eq!(
        fields(
            r#"{"tagStatus": "any", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 120}"#,
            expire
        ),
        ["rules[0].selection.storageClass"]
    );
    // Archived images chosen by count or push time, or archived again.
    assert_eq!(
        fields(
            r#"{"tagStatus": "any", "storageClass": "archive", "countType": "imageCountMoreThan", "countNumber": 3}"#,
            expire
        ),
        ["rules[0].selection.countType"]
    );
    assert_eq!(
        fields(
            r#"{"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 120}"#,
            r#"{"type": "transition", "targetStorageClass": "archive"}"#
        ),
        ["rules[0].action.type"]
    );
}
