//! `make bench`: 100,000 images × 10 rules through the lifecycle simulator; prints the median
//! of 11 runs (after a warm-up) as JSON. Target: under 50 ms. Also how long writing every
//! decision's reason as text takes (serializing the result does that; the simulation does not).

use berth_core::lifecycle::{parse, simulate, SimImage};
use std::time::Instant;
use time::macros::datetime;

fn main() {
    let now = datetime!(2026-11-24 12:00 UTC);
    let prefixes = ["prod-", "beta-", "rc-", "release-", "dev-", "feature-", "hotfix-", "nightly-"];
    let images: Vec<SimImage> = (0..100_000u64)
        .map(|i| {
            let pushed = now - time::Duration::minutes((i * 7 % 525_600) as i64);
            let tags = if i % 5 == 0 {
                vec![]
            } else {
                vec![format!("{}{i}", prefixes[(i % 8) as usize]), format!("build-{i}")]
            };
            SimImage {
                image_digest: format!("sha256:{i:064x}"),
                image_tags: tags,
                image_pushed_at: pushed.format(&time::format_description::well_known::Rfc3339).unwrap(),
                last_recorded_pull_time: None,
                last_transitioned_at: None,
                storage_class: None,
            }
        })
        .collect();
    let mut rules = Vec::new();
    for (i, p) in prefixes.iter().enumerate() {
        let selection = if i % 2 == 0 {
            format!(
                r#"{{"tagStatus": "tagged", "tagPrefixList": ["{p}"], "countType": "imageCountMoreThan", "countNumber": {}}}"#,
                50 + i * 10
            )
        } else {
            format!(
                r#"{{"tagStatus": "tagged", "tagPatternList": ["{p}*"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": {}}}"#,
                30 + i * 5
            )
        };
        rules.push(format!(
            r#"{{"rulePriority": {}, "selection": {selection}, "action": {{"type": "expire"}}}}"#,
            i + 1
        ));
    }
    rules.push(r#"{"rulePriority": 9, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}"#.into());
    rules.push(r#"{"rulePriority": 10, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 20000}, "action": {"type": "expire"}}"#.into());
    let policy = parse(&format!(r#"{{"rules": [{}]}}"#, rules.join(","))).expect("policy");
    let mut expired = simulate(&policy, &images, now).expect("times in range").len(); // warm-up
    let mut times = Vec::new();
    for _ in 0..11 {
        let t = Instant::now();
        expired = std::hint::black_box(simulate(&policy, &images, now).expect("times in range")).len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    // Not part of the simulation: writing every reason out as its sentence, as serializing the
    // whole result for the UI or the CLI does (the studio shows the ones on screen).
    let decisions = simulate(&policy, &images, now).expect("times in range");
    let t = Instant::now();
    let written: usize = decisions.iter().map(|d| d.reason.to_string().len()).sum();
    let reasons_ms = t.elapsed().as_secs_f64() * 1e3;
    std::hint::black_box(written);
    println!(
        "{}",
        serde_json::json!({"images": images.len(), "rules": policy.rules.len(), "expired": expired,
                           "median_ms": times[5], "min_ms": times[0], "max_ms": times[10], "target_ms": 50,
                           "all_reasons_as_text_ms": reasons_ms})
    );
}
