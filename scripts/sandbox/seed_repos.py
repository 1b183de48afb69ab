"""Seed the sandbox's ECR API with example repositories (part of the sandbox, not the app)."""

import json
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
