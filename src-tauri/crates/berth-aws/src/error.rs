//! AWS SDK errors mapped to Berth's stable codes, with messages that say what to do.

use aws_sdk_ecr::config::http::HttpResponse;
use aws_sdk_ecr::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use berth_core::{BerthError, ErrorCode};

/// Map an SDK error. `action` completes "Could not …" (e.g. "list repositories").
pub fn sdk_error<E>(err: SdkError<E, HttpResponse>, action: &str) -> BerthError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let full = DisplayErrorContext(&err).to_string();
    let cause = deepest_cause(&err);
    let error = match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            let message = e.message().unwrap_or("").to_string();
            match e.code() {
                Some(code) => service_error(code, &message, action),
                // An error body the SDK could not read: the status still tells refusals apart.
                None => status_error(service.raw().status().as_u16(), action),
            }
        }
        SdkError::TimeoutError(_) => BerthError::new(
            ErrorCode::Unreachable,
            format!("Could not {action}: the AWS API did not answer in time. Check your network or the endpoint override, then retry."),
        ),
        SdkError::DispatchFailure(d) if d.is_io() || d.is_timeout() => BerthError::new(
            ErrorCode::Unreachable,
            format!("Could not {action}: the AWS API endpoint cannot be reached ({cause}). Check your network, VPN or the profile's endpoint override, then retry."),
        ),
        _ => credential_error(&full, &cause, action)
            .unwrap_or_else(|| BerthError::new(ErrorCode::Remote, format!("Could not {action}: {cause}"))),
    };
    // The SDK's own account of it, outermost first, for the logs.
    error.caused_by(&err)
}

fn service_error(code: &str, message: &str, action: &str) -> BerthError {
    let (kind, text) = match code {
        "RepositoryNotFoundException" => (ErrorCode::NotFound, format!("Could not {action}: {message}")),
        "ImageNotFoundException" | "LifecyclePolicyNotFoundException" | "RepositoryPolicyNotFoundException"
        | "ScanNotFoundException" | "RegistryPolicyNotFoundException" | "TemplateNotFoundException"
        | "ResourceNotFoundException" => (ErrorCode::NotFound, format!("Could not {action}: {message}")),
        "PullThroughCacheRuleNotFoundException" => (
            ErrorCode::NotFound,
            format!("Could not {action}: {message} (the rules there are: berth registry pull-through list)."),
        ),
        "TemplateAlreadyExistsException" | "PullThroughCacheRuleAlreadyExistsException" => {
            (ErrorCode::AlreadyExists, format!("Could not {action}: {message}"))
        }
        "RepositoryAlreadyExistsException" | "ImageAlreadyExistsException" | "ImageTagAlreadyExistsException" => {
            (ErrorCode::AlreadyExists, format!("Could not {action}: {message}"))
        }
        "ExpiredTokenException" | "ExpiredToken" | "RequestExpired" => (
            ErrorCode::CredentialsExpired,
            format!("Could not {action}: the credentials have expired. Refresh them (for SSO: `aws sso login`) and retry."),
        ),
        "AccessDeniedException" | "AccessDenied" => (
            ErrorCode::AccessDenied,
            format!("Could not {action}: access denied ({message}). Ask for the missing IAM permission or switch profile."),
        ),
        "UnrecognizedClientException" | "InvalidClientTokenId" | "InvalidSignatureException"
        | "SignatureDoesNotMatch" => (
            ErrorCode::AccessDenied,
            format!("Could not {action}: AWS does not accept these credentials ({code}). Check the access key and secret of the profile."),
        ),
        "LimitExceededException" | "TooManyTagsException" => {
            (ErrorCode::LimitExceeded, format!("Could not {action}: a limit was reached ({message})."))
        }
        "InvalidParameterException" | "InvalidTagParameterException" | "ValidationException" => {
            (ErrorCode::InvalidInput, format!("Could not {action}: {message}"))
        }
        _ => (ErrorCode::Remote, format!("Could not {action}: {code}: {message}")),
    };
    BerthError::new(kind, text)
}

fn status_error(status: u16, action: &str) -> BerthError {
    match status {
        401 | 403 => BerthError::new(
            ErrorCode::AccessDenied,
            format!("Could not {action}: AWS does not accept these credentials or refuses this action (HTTP {status}). Check the profile's keys and its IAM permissions."),
        ),
        404 => BerthError::not_found(format!("Could not {action}: not found (HTTP 404).")),
        429 => BerthError::new(ErrorCode::LimitExceeded, format!("Could not {action}: too many requests (HTTP 429); retry in a moment.")),
        _ => BerthError::new(ErrorCode::Remote, format!("Could not {action}: the service answered HTTP {status}.")),
    }
}

fn credential_error(full: &str, cause: &str, action: &str) -> Option<BerthError> {
    let lower = full.to_lowercase();
    if lower.contains("sso") && (lower.contains("expired") || lower.contains("token")) {
        return Some(BerthError::new(
            ErrorCode::CredentialsExpired,
            format!("Could not {action}: the SSO session has expired or was never started. Run `aws sso login`, then retry."),
        ));
    }
    // The credentials could not be fetched because their source did not answer (STS for a
    // role, the SSO portal): a network problem, not a missing profile.
    let unanswered = ["connection refused", "failed to lookup address", "timed out", "dns error", "connect error"];
    if lower.contains("credential") && unanswered.iter().any(|u| lower.contains(u)) {
        return Some(BerthError::new(
            ErrorCode::Unreachable,
            format!(
                "Could not {action}: the credentials could not be fetched, as their source (STS for a role, the SSO \
                 portal) cannot be reached ({cause}). Check your network, VPN or the profile's endpoint_url, then retry."
            ),
        ));
    }
    if lower.contains("credential") || lower.contains("no providers in chain") {
        return Some(BerthError::new(
            ErrorCode::NoCredentials,
            format!(
                "Could not {action}: no AWS credentials were found ({}). Choose or add a profile, or configure this one (`aws configure`).",
                first_sentence(cause)
            ),
        ));
    }
    None
}

/// "no credentials found in chain. Attempted: …" → "no credentials found in chain".
fn first_sentence(text: &str) -> &str {
    text.split(". ").next().unwrap_or(text).trim_end_matches('.')
}

/// The most specific error at the end of the `source()` chain ("Connection refused (os error 111)").
fn deepest_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    // Some causes list attempts on several lines (the credential chain): keep them on one.
    current
        .to_string()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
        .replace(":;", ":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_whose_source_does_not_answer_are_a_network_problem() {
        let e = credential_error(
            "dispatch failure: an error occurred while loading credentials: Connection refused (os error 111)",
            "Connection refused (os error 111)",
            "check your identity (STS)",
        )
        .unwrap();
        assert_eq!(e.code, ErrorCode::Unreachable);
        assert!(e.message.contains("cannot be reached") && e.message.contains("endpoint_url"), "{}", e.message);
        let none = credential_error("no credentials found in chain", "no credentials found in chain", "x").unwrap();
        assert_eq!(none.code, ErrorCode::NoCredentials);
    }

    #[test]
    fn the_sdks_account_is_kept_as_the_cause_and_not_in_the_message() {
        let err: SdkError<aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesError, HttpResponse> =
            SdkError::timeout_error("the socket read timed out after 3.1 s");
        let e = sdk_error(err, "list repositories");
        assert_eq!(e.code, ErrorCode::Unreachable);
        assert!(e.message.starts_with("Could not list repositories: the AWS API did not answer"), "{}", e.message);
        assert!(e.causes.iter().any(|c| c.contains("timed out after 3.1 s")), "{:?}", e.causes);
        assert!(!serde_json::to_string(&e).unwrap().contains("3.1 s"), "causes stay out of the UI");
    }

    #[test]
    fn service_codes_map_to_stable_codes() {
        assert_eq!(service_error("RepositoryNotFoundException", "x", "a").code, ErrorCode::NotFound);
        let rule = service_error("PullThroughCacheRuleNotFoundException", "no rule hub", "remove the rule hub");
        assert_eq!(rule.code, ErrorCode::NotFound);
        assert!(rule.message.contains("berth registry pull-through list"), "{}", rule.message);
        assert_eq!(service_error("TemplateNotFoundException", "x", "a").code, ErrorCode::NotFound);
        assert_eq!(service_error("ExpiredTokenException", "x", "a").code, ErrorCode::CredentialsExpired);
        assert_eq!(service_error("UnrecognizedClientException", "x", "a").code, ErrorCode::AccessDenied);
        assert_eq!(service_error("Weird", "x", "a").code, ErrorCode::Remote);
        assert!(service_error("ExpiredTokenException", "", "list repositories").message.contains("aws sso login"));
    }

    #[test]
    fn unreadable_error_bodies_fall_back_on_the_status() {
        assert_eq!(status_error(403, "a").code, ErrorCode::AccessDenied);
        assert_eq!(status_error(401, "a").code, ErrorCode::AccessDenied);
        assert_eq!(status_error(429, "a").code, ErrorCode::LimitExceeded);
        assert_eq!(status_error(500, "a").code, ErrorCode::Remote);
    }

    #[test]
    fn credential_chain_failures_say_what_to_do() {
        let e = credential_error(
            "dispatch failure: other: no credentials in chain: no providers in chain provided credentials",
            "no providers in chain provided credentials",
            "list repositories",
        )
        .unwrap();
        assert_eq!(e.code, ErrorCode::NoCredentials);
        assert!(e.message.contains("aws configure"));
        let long = credential_error(
            "no credentials in chain",
            "no credentials found in chain. Attempted: Environment: not set; Profile: not enabled",
            "list repositories",
        )
        .unwrap();
        assert!(long.message.contains("(no credentials found in chain)"), "{}", long.message);
        assert!(!long.message.contains("Attempted"));
        assert!(credential_error("connection refused", "connection refused", "x").is_none());
    }
}
