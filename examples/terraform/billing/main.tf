# Billing team's Terraform, same account and region as the CloudFormation stacks: a Private CA
# certificate for billing.example.com, a name the platform's ACM wildcard already covers.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

variable "private_ca_arn" {
  type    = string
  default = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555"
}

resource "aws_acm_certificate" "billing" {
  domain_name               = "billing.example.com"
  certificate_authority_arn = var.private_ca_arn
}

resource "aws_acm_certificate" "ownership" {
  domain_name       = "billing.example.com"
  validation_method = "DNS"
}

resource "aws_api_gateway_domain_name" "billing" {
  domain_name                            = "billing.example.com"
  regional_certificate_arn               = aws_acm_certificate.billing.arn
  ownership_verification_certificate_arn = aws_acm_certificate.ownership.arn
  security_policy                        = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  mutual_tls_authentication {
    truststore_uri = "s3://corp-truststores-111122223333/billing/truststore.pem"
  }
}
