import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** What the acknowledgements need to know about a {@link FeedPublisher}. */
export interface NagAcknowledgementTargets {
  readonly publishFunction: IConstruct;
  /** The function's role, whose policy lists object ARNs under a prefix. */
  readonly publishRole: IConstruct;
  readonly contentBucketArn: string;
  readonly siteBucketArn: string;
  readonly deadLetterQueue: IConstruct;
  readonly distribution: IConstruct;
  readonly tracing: boolean;
  readonly customDomain: boolean;
}

/**
 * Writes a CloudFormation value the way cdk-nag names it in finding ids
 * (`<Logical.Arn>`, `<AWS::Partition>`), so a finding on a token ARN can be acknowledged.
 */
export function nagReference(scope: IConstruct, value: string): string {
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      const join = record['Fn::Join'] as [string, unknown[]] | undefined;
      if (join) return join[1].map(visit).join(join[0]);
      const getAtt = record['Fn::GetAtt'] as [string, string] | undefined;
      if (getAtt) return `<${getAtt[0]}.${getAtt[1]}>`;
      if ('Ref' in record) return `<${String(record.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}

/**
 * Every cdk-nag (AwsSolutions, Serverless) finding this construct accepts, each with the reason
 * a reviewer needs. Anything not listed here fails `cdk synth`.
 */
export function acknowledgeNagFindings(targets: NagAcknowledgementTargets): void {
  acknowledgePublisher(targets);
  acknowledgeDistribution(targets.distribution, targets.customDomain);
  Validations.of(targets.deadLetterQueue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: 'This queue is the dead-letter queue of the publish queue; a DLQ of a DLQ would only move the same messages again.',
  });
  acknowledgeFrameworkFunctions(Stack.of(targets.publishFunction));
}

/** The e-mail subscription of a topic the construct creates for its alarms. */
export function acknowledgeAlarmEmailTopic(topic: IConstruct): void {
  Validations.of(topic).acknowledge({
    id: 'Serverless-SNSRedrivePolicy',
    reason: 'The only subscription is an operator e-mail for alarm notifications; the alarm state and history stay in CloudWatch, so an undeliverable e-mail loses no data.',
  });
}

function acknowledgePublisher(targets: NagAcknowledgementTargets): void {
  const role = Validations.of(targets.publishRole);
  role.acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagReference(targets.publishRole, targets.contentBucketArn)}/articles/*]`,
    reason: 'Read access is limited to the articles/ prefix of the content bucket; article keys are chosen by authors, so they cannot be listed one by one.',
  });
  role.acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagReference(targets.publishRole, targets.siteBucketArn)}/*]`,
    reason: 'The site bucket holds only documents this function renders (feeds, pages, style sheets) under names derived from content; Get, Put and Delete of those documents only (no bucket-level write).',
  });
  if (targets.tracing) {
    role.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (AWS-managed statement added by Tracing.ACTIVE).',
    });
  }
  const fn = Validations.of(targets.publishFunction);
  fn.acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason: 'The function is invoked only by its SQS event source mapping; failed messages go to the queue redrive dead-letter queue. A function DLQ applies to asynchronous invokes only.',
  });
  fn.acknowledge({
    id: 'Serverless-LambdaEventSourceMappingDestination',
    reason: 'SQS event source mappings do not support on-failure destinations; failures are retried by SQS and parked in the redrive dead-letter queue (alarmed).',
  });
  if (!targets.tracing) {
    fn.acknowledge({
      id: 'Serverless-LambdaTracing',
      reason: 'X-Ray tracing is opt-in through the `tracing` prop: one short run per upload gains little from traces, and logs plus metrics cover operations.',
    });
  }
}

function acknowledgeDistribution(distribution: IConstruct, customDomain: boolean): void {
  const validations = Validations.of(distribution);
  validations.acknowledge({
    id: 'AwsSolutions-CFR1',
    reason: 'Public syndication feeds are meant to be readable from every country; there is no legal or licensing reason to restrict by geography.',
  });
  validations.acknowledge({
    id: 'AwsSolutions-CFR2',
    reason: 'Read-only static documents with no forms, login or dynamic origin; cached at the edge with CloudFront Shield Standard. A web ACL would add a fixed monthly cost larger than the rest of the stack.',
  });
  validations.acknowledge({
    id: '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
    reason: 'defaultRootObject is set and a viewer-request function maps every directory URL to index.html; no query string reaches S3, so a listing request cannot be formed.',
  });
  if (!customDomain) {
    validations.acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'Without a custom domain the *.cloudfront.net certificate is used, whose TLS policy CloudFront fixes; with the `domain` prop the distribution enforces TLSv1.2_2021.',
    });
  }
}

/** Functions CDK itself adds to the stack: the S3 notification and bucket deployment handlers. */
function acknowledgeFrameworkFunctions(stack: Stack): void {
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('BucketNotificationsHandler')) {
      Validations.of(child).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK-provided handler that sets the bucket notification configuration once per deploy; its role and runtime are defined by aws-cdk-lib.',
      });
    }
    if (child.node.id.startsWith('Custom::CDKBucketDeployment')) acknowledgeBucketDeployment(stack, child);
  }
}

function acknowledgeBucketDeployment(stack: Stack, handler: IConstruct): void {
  const reason =
    'CDK-provided BucketDeployment handler that copies the content folder from the CDK asset bucket at deploy time; its code, runtime and policy come from aws-cdk-lib and it runs only during deployments.';
  const validations = Validations.of(handler);
  const assetObjects = `arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*`;
  const ids = [
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AwsSolutions-IAM5[Action::s3:GetObject*]',
    'AwsSolutions-IAM5[Action::s3:GetBucket*]',
    'AwsSolutions-IAM5[Action::s3:List*]',
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
    'AwsSolutions-IAM5[Action::s3:Abort*]',
    `AwsSolutions-IAM5[Resource::${assetObjects}]`,
    'AwsSolutions-L1',
    'Serverless-LambdaDLQ',
    'Serverless-LambdaLatestVersion',
    'Serverless-LambdaTracing',
  ];
  for (const id of ids) validations.acknowledge({ id, reason });
  // Its write access to the destination bucket, named after that bucket's logical id.
  for (const statementResource of destinationObjectFindings(stack, handler)) {
    validations.acknowledge({ id: `AwsSolutions-IAM5[Resource::${statementResource}]`, reason });
  }
}

/** The `…/*` object resources in the deployment handler's policy other than the asset bucket. */
function destinationObjectFindings(stack: Stack, handler: IConstruct): string[] {
  const policy = handler.node.tryFindChild('ServiceRole')?.node.tryFindChild('DefaultPolicy')?.node.tryFindChild('Resource');
  if (!policy) return [];
  const document = stack.resolve((policy as unknown as { policyDocument: unknown }).policyDocument) as {
    Statement?: { Resource?: unknown }[];
  };
  const findings = new Set<string>();
  for (const statement of document.Statement ?? []) {
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    for (const resource of resources) {
      const name = nagReference(handler, resource as string);
      if (name.includes('*') && !name.includes('cdk-hnb659fds-assets')) findings.add(name);
    }
  }
  return [...findings];
}
