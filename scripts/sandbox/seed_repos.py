"""Seed the sandbox's ECR API with example repositories (part of the sandbox, not the app)."""

import json
import os
import sys

import boto3

endpoint, region = sys.argv[1:3]
session = boto3.session.Session(aws_access_key_id="sandbox", aws_secret_access_key="sandbox", region_name=region)
ecr = session.client("ecr", endpoint_url=endpoint)
kms = session.client("kms", endpoint_url=endpoint)

key = kms.create_key(Description="berth sandbox: payments images")["KeyMetadata"]
kms.create_alias(AliasName="alias/berth-payments", TargetKeyId=key["KeyId"])

keep_last_10 = {
    "rules": [
        {
            "rulePriority": 1,
            "description": "Expire untagged images after 14 days",
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
            "action": {"type": "expire"},
        }
    ]
}

repositories = [
    dict(repositoryName="api/orders", imageScanningConfiguration={"scanOnPush": True},
         tags=[{"Key": "team", "Value": "orders"}]),
    dict(repositoryName="api/payments", imageTagMutability="IMMUTABLE",
         encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key["Arn"]},
         tags=[{"Key": "team", "Value": "payments"}]),
    dict(repositoryName="web"),
    dict(repositoryName="tools/empty"),
]
for repo in repositories:
    try:
        ecr.create_repository(**repo)
    except ecr.exceptions.RepositoryAlreadyExistsException:
        pass
ecr.put_lifecycle_policy(repositoryName="api/orders", lifecyclePolicyText=json.dumps(keep_last_10))
print("seeded repositories:", ", ".join(r["repositoryName"] for r in repositories))

# The second account ("prod", SANDBOX_PROD_* in the env file): one repository, no images.
prod_key = os.environ.get("SANDBOX_PROD_ACCESS_KEY_ID")
if prod_key:
    prod = boto3.session.Session(aws_access_key_id=prod_key,
                                 aws_secret_access_key=os.environ.get("SANDBOX_PROD_SECRET_ACCESS_KEY", "sandbox"),
                                 region_name="us-east-1").client("ecr", endpoint_url=endpoint)
    try:
        prod.create_repository(repositoryName="api/orders", tags=[{"Key": "team", "Value": "orders"}])
    except prod.exceptions.RepositoryAlreadyExistsException:
        pass
    print("seeded prod account (us-east-1): api/orders")
