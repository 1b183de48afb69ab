//! The sandbox as another client sees it: the AWS CLI against its ECR API. Where moto and ECR
//! differ, the sandbox must answer as ECR does (scripts/sandbox/ecr_sandbox.py).

use std::process::{Command, Output};

use anyhow::{ensure, Context, Result};
use berth_tests::sandbox_var;

/// The AWS CLI: AWS_CLI, the benchmarks' pinned one (target/tools/awscli-venv), or `aws` on PATH.
fn aws_cli() -> Command {
    let pinned = berth_tests::gate::tools_dir().join("awscli-venv/bin/aws");
    let program = std::env::var_os("AWS_CLI").unwrap_or_else(|| {
        if pinned.exists() {
            pinned.into_os_string()
        } else {
            "aws".into()
        }
    });
    let mut c = Command::new(program);
    c.env("AWS_PAGER", "");
    c
}

fn ecr(args: &[&str]) -> Result<Output> {
    let endpoint = sandbox_var("AWS_ENDPOINT_URL");
    let region = sandbox_var("AWS_REGION");
    aws_cli()
        .args(["ecr", "--endpoint-url", &endpoint, "--region", &region, "--output", "json"])
        .args(args)
        .output()
        .context("run the AWS CLI (`aws`; or set AWS_CLI to it)")
}

#[test]
fn repository_names_are_checked_as_ecr_checks_them() -> Result<()> {
    sandbox_var("AWS_ENDPOINT_URL");
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_nanos() % 1_000_000;
    // ECR's pattern: a separator is '.', '_', '__' or a run of '-'; moto alone refuses the last two.
    for name in [format!("e2e/a--b-{n}"), format!("e2e/a__b-{n}"), format!("e2e/x.y_z---w-{n}/k--v")] {
        let out = ecr(&["create-repository", "--repository-name", &name])?;
        ensure!(out.status.success(), "ECR accepts {name}: {}", String::from_utf8_lossy(&out.stderr));
        let created: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        ensure!(created["repository"]["repositoryName"] == name.as_str(), "{created}");
        let out = ecr(&["delete-repository", "--repository-name", &name, "--force"])?;
        ensure!(out.status.success(), "delete {name}: {}", String::from_utf8_lossy(&out.stderr));
    }
    // And refuses what ECR refuses, the way ECR does.
    for name in ["e2e/a___b", "e2e/a..b", "e2e/-ab", "e2e/ab-", "e2e//ab", "e2e/a_.b", "e2e/Ab", "e2e/ab/"] {
        let out = ecr(&["create-repository", "--repository-name", name])?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        ensure!(!out.status.success(), "ECR refuses {name}, the sandbox created it");
        ensure!(
            stderr.contains("(InvalidParameterException)")
                && stderr.contains("Invalid parameter at 'repositoryName' failed to satisfy constraint"),
            "{name}: {stderr}"
        );
    }
    Ok(())
}
