"""Seed the sandbox's registry-level ECR settings (part of the sandbox, not the app).

Usage: seed_registry.py ENDPOINT REGION   (after seed_repos.py, before images are pushed)

* replication: repositories under api/ replicate to us-west-2 (same account);
* a Secrets Manager secret ecr-pullthroughcache/docker-hub and a pull-through cache rule
  docker-hub -> registry-1.docker.io that uses it;
* repository creation templates: docker-hub (PULL_THROUGH_CACHE: keep 10 images, tag
  source=docker-hub) and ci (CREATE_ON_PUSH: IMMUTABLE tags except latest);
* ENHANCED scanning: scan on push for api/* and docker-hub/*, continuous for web.
Safe to run again: what exists already is left as it is.
"""

import json
import sys

import boto3

endpoint, region = sys.argv[1:3]
session = boto3.session.Session(aws_access_key_id="sandbox", aws_secret_access_key="sandbox", region_name=region)
ecr = session.client("ecr", endpoint_url=endpoint)
secrets = session.client("secretsmanager", endpoint_url=endpoint)
account = session.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]

ecr.put_replication_configuration(replicationConfiguration={"rules": [{
    "destinations": [{"region": "us-west-2", "registryId": account}],
    "repositoryFilters": [{"filter": "api/", "filterType": "PREFIX_MATCH"}],
}]})

name = "ecr-pullthroughcache/docker-hub"
try:
    secret_arn = secrets.create_secret(
        Name=name, Description="berth sandbox: Docker Hub credentials for the pull-through cache",
        SecretString=json.dumps({"username": "berth-sandbox", "accessToken": "dckr_pat_sandbox"}))["ARN"]
except secrets.exceptions.ResourceExistsException:
    secret_arn = secrets.describe_secret(SecretId=name)["ARN"]

try:
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub", upstreamRegistryUrl="registry-1.docker.io",
                                       upstreamRegistry="docker-hub", credentialArn=secret_arn)
except ecr.exceptions.PullThroughCacheRuleAlreadyExistsException:
    pass

keep_10 = {"rules": [{
    "rulePriority": 1,
    "description": "Keep the 10 newest images",
    "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 10},
    "action": {"type": "expire"},
}]}
templates = [
    dict(prefix="docker-hub", description="Images cached from Docker Hub", appliedFor=["PULL_THROUGH_CACHE"],
         imageTagMutability="MUTABLE", lifecyclePolicy=json.dumps(keep_10),
         resourceTags=[{"Key": "source", "Value": "docker-hub"}]),
    dict(prefix="ci", description="Repositories CI creates on push: release tags are immutable, latest moves",
         appliedFor=["CREATE_ON_PUSH"], imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
         imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest"}],
         resourceTags=[{"Key": "created-by", "Value": "ci-push"}]),
]
for template in templates:
    try:
        ecr.create_repository_creation_template(**template)
    except ecr.exceptions.TemplateAlreadyExistsException:
        pass

ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=[
    {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [
        {"filter": "api/*", "filterType": "WILDCARD"}, {"filter": "docker-hub/*", "filterType": "WILDCARD"}]},
    {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "web", "filterType": "WILDCARD"}]},
])
print("seeded registry: replication api/ -> us-west-2, pull-through docker-hub, templates docker-hub and ci, "
      "ENHANCED scanning", file=sys.stderr)
