//! Regions from the AWS SDK's own partition data (extracted by `scripts/regions`).

use std::sync::LazyLock;

use berth_core::model::RegionInfo;
use serde::Deserialize;

#[derive(Deserialize)]
struct Data {
    partitions: Vec<Partition>,
}

#[derive(Deserialize)]
struct Partition {
    id: String,
    regions: std::collections::BTreeMap<String, String>,
}

static REGIONS: LazyLock<Vec<RegionInfo>> = LazyLock::new(|| {
    let data: Data =
        serde_json::from_str(include_str!("../data/partitions.json")).unwrap_or(Data { partitions: Vec::new() });
    data.partitions
        .into_iter()
        .flat_map(|p| {
            p.regions.into_iter().map(move |(name, description)| RegionInfo {
                name,
                description,
                partition: p.id.clone(),
            })
        })
        .collect()
});

/// Every region the SDK knows, commercial partition first.
pub fn all() -> &'static [RegionInfo] {
    &REGIONS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdk_data_parses_and_every_name_is_a_region() {
        let regions = all();
        assert!(regions.len() > 30, "{}", regions.len());
        assert!(regions.iter().any(|r| r.name == "us-east-1" && r.partition == "aws"));
        assert!(regions.iter().any(|r| r.name == "cn-north-1" && r.partition == "aws-cn"));
        for r in regions {
            assert!(berth_core::validate::region(&r.name).is_ok(), "{}", r.name);
            assert!(!r.description.is_empty(), "{}", r.name);
        }
    }
}
