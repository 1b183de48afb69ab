//! The process environment as both front ends start with it.

/// Remove every `AWS_*` variable that is set but empty (`AWS_ENDPOINT_URL=`), so it counts as
/// unset, as the AWS CLI reads it: the AWS SDK would take an empty endpoint as the endpoint
/// and panic on the first call, and an empty profile or region would hide the file's.
/// Call it first thing in `main`, before any other thread starts.
pub fn drop_empty_aws_settings() -> Vec<String> {
    let empty: Vec<String> = std::env::vars_os()
        .filter_map(|(k, v)| {
            let k = k.into_string().ok()?;
            (k.starts_with("AWS_") && v.to_string_lossy().trim().is_empty()).then_some(k)
        })
        .collect();
    for name in &empty {
        std::env::remove_var(name);
    }
    empty
}
