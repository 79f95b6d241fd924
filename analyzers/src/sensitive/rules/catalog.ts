/**
 * The built-in secret rules, written by Shipshape from each provider's documented token format
 * (prefixes, alphabets, lengths), one entry per kind of credential. `covers` lists the gitleaks
 * rule ids (config/gitleaks.toml) whose credentials the entry finds: the README's coverage
 * table is made from it. `npx tsx analyzers/src/sensitive/rules/build-toml.ts` writes
 * builtin.toml from this file; a test keeps the two in step.
 */
import type { Severity } from '@shipshape/shared';
import type { SensitiveType } from '../rules.ts';
import { assigned, nameVariants, token, wordPart } from './patterns.ts';

export interface CatalogAllowlist {
  regexTarget?: 'secret' | 'match' | 'line';
  regexes?: string[];
  stopwords?: string[];
}

export interface CatalogEntry {
  id: string;
  name: string;
  covers: string[];
  keywords: string[];
  regex?: string;
  path?: string;
  secretGroup?: number;
  entropy?: number;
  type?: SensitiveType;
  severity?: Severity;
  allowlists?: CatalogAllowlist[];
  recommendation?: string;
}

type Options = Partial<Omit<CatalogEntry, 'id' | 'name' | 'covers'>> & { caseSensitiveName?: boolean };

/** A token identified by its own prefix or shape. */
const t = (id: string, name: string, covers: string[], keywords: string[], body: string, { right, left, ...o }: Options & { right?: string; left?: string } = {}): CatalogEntry => ({
  id, name, covers, keywords, regex: token(body, right, left), secretGroup: 1, type: 'token', ...o,
});

/** A value identified by the provider name it is assigned to (names are literal words, also the keywords). */
const a = (id: string, name: string, covers: string[], names: string[], value: string, { caseSensitiveName, ...o }: Options = {}): CatalogEntry => ({
  id, name, covers, keywords: [...new Set(names.map((n) => n.toLowerCase()))],
  regex: caseSensitiveName ? assigned(names.join('|'), value, true) : assigned(nameVariants(names), value, true),
  secretGroup: 1, entropy: 3, type: 'credential',
  // A value with no digit is a word or an identifier (a random key of this length has digits).
  allowlists: [{ regexes: ['^[A-Za-z_.-]+$'] }, ...(o.allowlists ?? [])],
  ...o,
  ...(o.allowlists ? { allowlists: [{ regexes: ['^[A-Za-z_.-]+$'] }, ...o.allowlists] } : {}),
});

const HEX = (n: number | string) => `[a-fA-F0-9]{${n}}`;
const ALNUM = (n: number | string) => `[A-Za-z0-9]{${n}}`;
const UUID = '[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}';
/** A key of unknown exact alphabet: letters, digits and the URL-safe/base64 punctuation. */
const KEY = (n: number | string) => `[A-Za-z0-9_=+/.-]{${n}}`;

/** AWS documentation's example keys (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY). */
const AWS_DOCS: CatalogAllowlist = { regexes: ['EXAMPLE'] };
/**
 * Google API keys published in open-source software and samples (the list gitleaks keeps in
 * its gcp-api-key allowlist, MIT): they ship inside images and are not leaks.
 */
const PUBLIC_GOOGLE_KEYS = [
  'AIzaSyabcdefghijklmnopqrstuvwxyz1234567', 'AIzaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs', 'AIzaSyCkEhVjf3pduRDt6d1yKOMitrUEke8agEM',
  'AIzaSyDMAScliyLx7F0NPDEJi1QmyCgHIAODrlU', 'AIzaSyD3asb-2pEZVqMkmL6M9N6nHZRR_znhrh0', 'AIzayDNSXIbFmlXbIE6mCzDLQAqITYefhixbX4A',
  'AIzaSyAdOS2zB6NCsk1pCdZ4-P6GBdi_UUPwX7c', 'AIzaSyASWm6HmTMdYWpgMnjRBjxcQ9CKctWmLd4', 'AIzaSyANUvH9H9BsUccjsu2pCmEkOPjjaXeDQgY',
  'AIzaSyA5_iVawFQ8ABuTZNUdcwERLJv_a_p4wtM', 'AIzaSyA4UrcGxgwQFTfaI3no3t7Lt1sjmdnP5sQ', 'AIzaSyDSb51JiIcB6OJpwwMicseKRhhrOq1cS7g',
  'AIzaSyBF2RrAIm4a0mO64EShQfqfd2AFnzAvvuU', 'AIzaSyBcE-OOIbhjyR83gm4r2MFCu4MJmprNXsw', 'AIzaSyB8qGxt4ec15vitgn44duC5ucxaOi4FmqE',
  'AIzaSyA8vmApnrHNFE0bApF4hoZ11srVL_n0nvY',
];
const CLOUD = 'Deactivate the key at the provider, rotate it, and pass credentials at runtime (instance role, workload identity or a secret store) instead of baking them into the image.';

export const catalog: CatalogEntry[] = [
  // ---------------------------------------------------------------- cloud providers
  t('aws-access-key-id', 'AWS access key ID', ['aws-access-token'], ['akia', 'asia', 'abia', 'acca', 'a3t'], '(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}', { type: 'credential', severity: 'critical', recommendation: CLOUD, allowlists: [AWS_DOCS] }),
  a('aws-secret-access-key', 'AWS secret access key', [], ['aws'], '[A-Za-z0-9/+]{40}', { entropy: 3.5, severity: 'critical', recommendation: CLOUD, allowlists: [AWS_DOCS] }),
  t('aws-bedrock-api-key', 'Amazon Bedrock API key', ['aws-amazon-bedrock-api-key-long-lived', 'aws-amazon-bedrock-api-key-short-lived'], ['absk', 'bedrock-api-key-'], '(?:ABSK[A-Za-z0-9+/]{100,300}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%_-]{0,1000})', { severity: 'critical' }),
  {
    id: 'gcp-service-account-key', name: 'Google Cloud service account key', covers: ['gcp-service-account'], keywords: ['private_key_id', 'service_account'],
    // The key's id: a file with only `"type": "service_account"` (a template, a placeholder key) is not a key.
    regex: String.raw`"private_key_id"\s*:\s*"([a-f0-9]{40})"`, secretGroup: 1, type: 'private_key', severity: 'critical',
  },
  t('gcp-api-key', 'Google API key', ['gcp-api-key'], ['aiza'], 'AIza[A-Za-z0-9_-]{35}', { type: 'credential', allowlists: [{ regexes: [`^(?:${PUBLIC_GOOGLE_KEYS.join('|')})$`] }] }),
  t('azure-ad-client-secret', 'Microsoft Entra ID (Azure AD) client secret', ['azure-ad-client-secret'], ['q~'], '[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}', { type: 'credential', severity: 'critical', right: '[^A-Za-z0-9_~.-]' }),
  a('azure-storage-account-key', 'Azure storage account key', [], ['AccountKey', 'azure_storage_key', 'storage_account_key'], '[A-Za-z0-9+/]{86}==', { severity: 'critical' }),
  t('alibaba-access-key-id', 'Alibaba Cloud AccessKey ID', ['alibaba-access-key-id'], ['ltai'], 'LTAI[A-Za-z0-9]{12,20}', { type: 'credential' }),
  a('alibaba-secret-key', 'Alibaba Cloud AccessKey secret', ['alibaba-secret-key'], ['alibaba', 'aliyun'], ALNUM(30)),
  t('digitalocean-token', 'DigitalOcean token', ['digitalocean-pat', 'digitalocean-access-token', 'digitalocean-refresh-token'], ['dop_v1_', 'doo_v1_', 'dor_v1_'], 'do[por]_v1_' + HEX(64), { severity: 'critical' }),
  t('yandex-api-key', 'Yandex Cloud API key', ['yandex-api-key'], ['aqvn'], 'AQVN[A-Za-z0-9_-]{35,38}', { type: 'credential' }),
  t('yandex-iam-token', 'Yandex Cloud IAM token', ['yandex-access-token'], ['t1.'], 't1\\.[A-Za-z0-9_-]+={0,2}\\.[A-Za-z0-9_-]{86}={0,2}'),
  t('yandex-static-key', 'Yandex Cloud static access key', ['yandex-aws-access-token'], ['yandex'], 'YC[A-Za-z0-9_-]{38}', { type: 'credential', entropy: 3.5, left: '\\b' }),
  a('cloudflare-api-key', 'Cloudflare API token or key', ['cloudflare-api-key', 'cloudflare-global-api-key'], ['cloudflare'], '[A-Za-z0-9_-]{40}|[a-fA-F0-9]{37}'),
  t('cloudflare-origin-ca-key', 'Cloudflare Origin CA key', ['cloudflare-origin-ca-key'], ['v1.0-'], 'v1\\.0-' + HEX(24) + '-' + HEX(146), { type: 'credential' }),
  a('heroku-api-key', 'Heroku API key', ['heroku-api-key'], ['heroku'], UUID),
  t('heroku-api-key-v2', 'Heroku API key', ['heroku-api-key-v2'], ['hrku-'], 'HRKU-AA[A-Za-z0-9_-]{58}', { type: 'credential' }),
  t('flyio-token', 'Fly.io token', ['flyio-access-token'], ['fo1_', 'fm1r_', 'fm1a_', 'fm2_'], '(?:fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,}={0,3}|fm2_[A-Za-z0-9+/]{100,}={0,3})'),
  t('scalingo-token', 'Scalingo API token', ['scalingo-api-token'], ['tk-us-'], 'tk-us-[A-Za-z0-9_-]{48}'),
  t('openshift-token', 'OpenShift user token', ['openshift-user-token'], ['sha256~'], 'sha256~[A-Za-z0-9_-]{43}'),
  a('netlify-token', 'Netlify access token', ['netlify-access-token'], ['netlify'], KEY('40,46')),
  t('hashicorp-tf-token', 'Terraform Cloud / HCP API token', ['hashicorp-tf-api-token'], ['atlasv1'], '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}'),
  a('hashicorp-tf-password', 'Terraform administrator password', ['hashicorp-tf-password'], ['administrator_login_password'], '[^\'"\\s]{8,64}', { type: 'password' }),
  t('hashicorp-vault-token', 'HashiCorp Vault token', ['vault-service-token', 'vault-batch-token'], ['hvs.', 'hvb.', 'hvr.', 'b.aaaaaq'], '(?:hv[sbr]\\.[A-Za-z0-9_-]{90,300}|b\\.AAAAAQ[A-Za-z0-9_-]{138,300})', { severity: 'critical', entropy: 3 }),
  // The legacy `s.` form must look random (`s.AcceptanceTimeoutSeconds` is a field).
  t('hashicorp-vault-legacy-token', 'HashiCorp Vault token (legacy format)', ['vault-service-token'], ['vault', 'token'], 's\\.[A-Za-z0-9]{24}', { severity: 'critical', entropy: 3,
    allowlists: [{ regexes: ['^s\\.[A-Za-z]+$', '^s\\.[a-z0-9]+$'] }] }),
  t('pulumi-token', 'Pulumi access token', ['pulumi-api-token'], ['pul-'], 'pul-' + HEX(40)),
  t('doppler-token', 'Doppler token', ['doppler-api-token'], ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'], 'dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}'),
  t('defined-networking-token', 'Defined Networking API token', ['defined-networking-api-token'], ['dnkey-'], 'dnkey-[A-Za-z0-9=_-]{26}-[A-Za-z0-9=_-]{52}'),
  t('dynatrace-token', 'Dynatrace API token', ['dynatrace-api-token'], ['dt0c01.'], 'dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}'),
  a('datadog-key', 'Datadog API or application key', ['datadog-access-token'], ['datadog', 'dd_api_key', 'dd_app_key'], '[A-Za-z0-9]{32}|[A-Za-z0-9]{40}'),
  t('new-relic-key', 'New Relic key', ['new-relic-user-api-key', 'new-relic-browser-api-token', 'new-relic-insert-key'], ['nrak-', 'nrjs-', 'nrii-'], '(?:NRAK-[A-Za-z0-9]{27}|NRJS-' + HEX(19) + '|NRII-[A-Za-z0-9-]{32})'),
  a('new-relic-user-id', 'New Relic user API ID', ['new-relic-user-api-id'], ['new-relic', 'newrelic', 'new_relic'], ALNUM(64)),
  a('sumologic-credential', 'Sumo Logic access ID or key', ['sumologic-access-id', 'sumologic-access-token'], ['Sumo', 'sumo', 'SUMO'], 'su[A-Za-z0-9]{12}|[A-Za-z0-9]{64}', { caseSensitiveName: true }),
  t('grafana-token', 'Grafana token', ['grafana-api-key', 'grafana-cloud-api-token', 'grafana-service-account-token'], ['eyjrijoi', 'glc_', 'glsa_'], '(?:eyJrIjoi[A-Za-z0-9]{70,400}={0,3}|glc_[A-Za-z0-9+/]{32,400}={0,3}|glsa_[A-Za-z0-9]{32}_' + HEX(8) + ')'),
  a('sentry-token', 'Sentry auth token', ['sentry-access-token'], ['sentry'], HEX(64)),
  t('sentry-org-user-token', 'Sentry organization or user token', ['sentry-org-token', 'sentry-user-token'], ['sntrys_', 'sntryu_'], '(?:sntrys_eyJpYXQiO[A-Za-z0-9+/=_]{10,600}|sntryu_' + HEX(64) + ')'),
  a('launchdarkly-token', 'LaunchDarkly access token', ['launchdarkly-access-token'], ['launchdarkly'], KEY(40)),
  a('fastly-token', 'Fastly API token', ['fastly-api-token'], ['fastly'], KEY(32)),
  a('mattermost-token', 'Mattermost access token', ['mattermost-access-token'], ['mattermost'], ALNUM(26)),
  a('codecov-token', 'Codecov access token', ['codecov-access-token'], ['codecov'], ALNUM(32) + '|' + UUID),
  a('droneci-token', 'Drone CI access token', ['droneci-access-token'], ['droneci', 'drone_token', 'drone-token'], ALNUM(32)),
  a('travisci-token', 'Travis CI access token', ['travisci-access-token'], ['travis'], ALNUM(22)),
  t('harness-token', 'Harness API key', ['harness-api-key'], ['pat.', 'sat.'], '(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{20}'),
  t('octopus-deploy-key', 'Octopus Deploy API key', ['octopus-deploy-api-key'], ['api-'], 'API-[A-Z0-9]{26}', { entropy: 3 }),
  t('prefect-token', 'Prefect API token', ['prefect-api-token'], ['pnu_'], 'pnu_' + ALNUM(36)),
  t('infracost-token', 'Infracost API token', ['infracost-api-token'], ['ico-'], 'ico-' + ALNUM(32)),
  t('settlemint-token', 'SettleMint access token', ['settlemint-application-access-token', 'settlemint-personal-access-token', 'settlemint-service-access-token'], ['sm_aat_', 'sm_pat_', 'sm_sat_'], 'sm_[aps]at_' + ALNUM(16)),
  t('authress-key', 'Authress service client key', ['authress-service-client-access-key'], ['sc_', 'ext_', 'scauth_', 'authress_'], '(?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\\.[A-Za-z0-9]{4,6}\\.acc[_-][A-Za-z0-9-]{10,32}\\.[A-Za-z0-9+/_=-]{30,120}'),
  t('clickhouse-cloud-key', 'ClickHouse Cloud API secret', ['clickhouse-cloud-api-secret-key'], ['4b1d'], '4b1d' + ALNUM(38), { type: 'credential' }),
  t('databricks-token', 'Databricks token', ['databricks-api-token'], ['dapi'], 'dapi' + HEX(32) + '(?:-[0-9])?'),
  t('planetscale-token', 'PlanetScale token or password', ['planetscale-api-token', 'planetscale-oauth-token', 'planetscale-password'], ['pscale_tkn_', 'pscale_oat_', 'pscale_oauth_', 'pscale_pw_'], 'pscale_(?:tkn|oat|oauth|pw)_[A-Za-z0-9_=.-]{32,64}'),
  t('jfrog-token', 'JFrog / Artifactory token', ['artifactory-api-key', 'artifactory-reference-token'], ['akcp', 'cmvmd'], '(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})'),
  a('jfrog-key', 'JFrog API key or identity token', ['jfrog-api-key', 'jfrog-identity-token'], ['jfrog', 'artifactory', 'bintray', 'xray'], '[A-Za-z0-9]{73}|[A-Za-z0-9]{64}'),
  t('kubernetes-secret', 'Kubernetes Secret manifest with data', ['kubernetes-secret-yaml'], ['secret'],
    // `kind: Secret` then a data/stringData entry within the same document (either order).
    String.raw`(?s:kind:[ \t]*["']?Secret["']?[ \t]*\r?\n(?:[^-][^\n]*\n|-[^-][^\n]*\n){0,40}?[ \t]*(?:data|stringData):[ \t]*\r?\n[ \t]+[\w.-]+:[ \t]*["']?[A-Za-z0-9+/=._-]{8,})`,
    { type: 'config', severity: 'medium', secretGroup: 1, allowlists: [{ regexTarget: 'match', regexes: [String.raw`:[ \t]*["']?(?:\$\{|\{\{|<)`] }] }),

  // ---------------------------------------------------------------- source control, registries, CI
  t('github-token', 'GitHub token', ['github-pat', 'github-oauth', 'github-app-token', 'github-refresh-token'], ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], '(?:gh[pousr]_[A-Za-z0-9]{36,255}|ghs_[0-9]+_[A-Za-z0-9_.-]{20,})', { severity: 'critical' }),
  t('github-fine-grained-pat', 'GitHub fine-grained token', ['github-fine-grained-pat'], ['github_pat_'], 'github_pat_[A-Za-z0-9_]{82}', { severity: 'critical' }),
  t('gitlab-token', 'GitLab token', ['gitlab-pat', 'gitlab-pat-routable', 'gitlab-ptt', 'gitlab-rrt', 'gitlab-cicd-job-token', 'gitlab-deploy-token', 'gitlab-feature-flag-client-token', 'gitlab-feed-token', 'gitlab-incoming-mail-token', 'gitlab-kubernetes-agent-token', 'gitlab-oauth-app-secret', 'gitlab-runner-authentication-token', 'gitlab-runner-authentication-token-routable', 'gitlab-scim-token'],
    ['glpat-', 'glptt-', 'gr1348941', 'glcbt-', 'gldt-', 'glffct-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glrt-', 'glsoat-'],
    '(?:glpat-[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{2}[0-9a-z]{7})?|glptt-' + HEX(40) + '|GR1348941[A-Za-z0-9_-]{20}|glcbt-(?:[0-9a-fA-F]{2}_)?[A-Za-z0-9_-]{20}|gldt-[A-Za-z0-9_-]{20}|glffct-[A-Za-z0-9_-]{20}|glft-[A-Za-z0-9_-]{20}|glimt-[A-Za-z0-9_-]{25}|glagent-[A-Za-z0-9_-]{50}|gloas-[A-Za-z0-9_-]{64}|glrt-(?:t[0-9]_)?[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{2}[0-9a-z]{7})?|glsoat-[A-Za-z0-9_-]{20})', { severity: 'critical', allowlists: [{ regexes: ['^GR1348941[0-9]+$'] }] }),
  t('gitlab-session-cookie', 'GitLab session cookie', ['gitlab-session-cookie'], ['_gitlab_session='], '_gitlab_session=' + ALNUM(32)),
  t('bitbucket-app-password', 'Bitbucket / Atlassian API token', ['atlassian-api-token'], ['atbb', 'atatt'], '(?:ATBB[A-Za-z0-9_=.-]{28,}|ATATT3[A-Za-z0-9_=-]{180,200})', { severity: 'critical' }),
  a('atlassian-token', 'Atlassian API token', ['atlassian-api-token'], ['atlassian', 'confluence', 'jira'], ALNUM(24)),
  a('bitbucket-credential', 'Bitbucket OAuth client ID or secret', ['bitbucket-client-id', 'bitbucket-client-secret'], ['bitbucket'], ALNUM(32) + '|[A-Za-z0-9=_-]{64}'),
  t('npm-access-token', 'npm access token', ['npm-access-token'], ['npm_'], 'npm_' + ALNUM(36), { severity: 'critical' }),
  {
    id: 'npmrc-auth', name: 'npm registry credentials (.npmrc)', covers: [], keywords: ['_authtoken', '_auth', '_password'], type: 'token', severity: 'high',
    regex: String.raw`(?i)(?:^|\s|:)_(?:authToken|auth|password)\s*=\s*["']?([^\s"'$][^\s"']{7,})`, secretGroup: 1,
  },
  t('pypi-upload-token', 'PyPI upload token', ['pypi-upload-token'], ['pypi-ageichlwas5vcmc'], 'pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}', { severity: 'critical' }),
  t('rubygems-token', 'RubyGems API key', ['rubygems-api-token'], ['rubygems_'], 'rubygems_' + HEX(48)),
  t('clojars-token', 'Clojars deploy token', ['clojars-api-token'], ['clojars_'], 'CLOJARS_' + ALNUM(60)),
  {
    id: 'nuget-config-password', name: 'NuGet feed password (NuGet.config)', covers: ['nuget-config-password'], keywords: ['<add key='], type: 'password', severity: 'high',
    regex: String.raw`(?i)<add key=\"(?:cleartext)?password\"\s*value=\"([^\"]{8,})\"`, secretGroup: 1, entropy: 1,
    allowlists: [{ regexes: [String.raw`^%\S+%$`, String.raw`^\$\S+$`] }],
  },
  t('sourcegraph-token', 'Sourcegraph access token', ['sourcegraph-access-token'], ['sgp_', 'sourcegraph'], '(?:sgp_(?:' + HEX(16) + '|local)_' + HEX(40) + '|sgp_' + HEX(40) + ')'),
  a('sourcegraph-legacy-token', 'Sourcegraph access token', ['sourcegraph-access-token'], ['sourcegraph'], HEX(40)),
  t('snyk-token', 'Snyk API token', ['snyk-api-token'], ['snyk'], '(?:snyk_(?:uat|sat)\\.[a-z0-9]{8}\\.[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,})'),
  a('snyk-key', 'Snyk API token', ['snyk-api-token'], ['snyk'], UUID),
  a('sonar-token', 'SonarQube / SonarCloud token', ['sonar-api-token'], ['sonar'], '(?:squ_|sqp_|sqa_)?[A-Za-z0-9=_-]{40}'),
  t('postman-key', 'Postman API key', ['postman-api-token'], ['pmak-'], 'PMAK-' + HEX(24) + '-' + HEX(34)),
  t('readme-key', 'ReadMe API key', ['readme-api-token'], ['rdme_'], 'rdme_[a-z0-9]{70}'),
  t('frameio-token', 'Frame.io API token', ['frameio-api-token'], ['fio-u-'], 'fio-u-[A-Za-z0-9_=-]{64}'),
  t('typeform-token', 'Typeform API token', ['typeform-api-token'], ['tfp_'], 'tfp_[A-Za-z0-9_.=-]{59}'),
  t('age-secret-key', 'age secret key', ['age-secret-key'], ['age-secret-key-1'], 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}', { type: 'private_key', severity: 'critical' }),
  t('onepassword-secret-key', '1Password secret key', ['1password-secret-key'], ['a3-'], 'A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}', { type: 'credential', severity: 'critical' }),
  t('onepassword-service-account-token', '1Password service account token', ['1password-service-account-token'], ['ops_eyj'], 'ops_eyJ[A-Za-z0-9+/_-]{100,}={0,3}', { severity: 'critical' }),
  t('tailscale-key', 'Tailscale auth or API key', [], ['tskey-'], 'tskey-[a-z]+-[A-Za-z0-9]{8,}-[A-Za-z0-9]{16,}', { left: '(?:^|[^A-Za-z])' }),

  // ---------------------------------------------------------------- chat, mail, social
  t('slack-token', 'Slack token', ['slack-bot-token', 'slack-user-token', 'slack-legacy-bot-token', 'slack-legacy-token', 'slack-legacy-workspace-token', 'slack-config-access-token', 'slack-config-refresh-token'],
    ['xoxb-', 'xoxp-', 'xoxe-', 'xoxe.', 'xoxa-', 'xoxr-', 'xoxo-', 'xoxs-'],
    // Regular tokens carry numeric team/user ids after the prefix; configuration tokens are long.
    '(?:xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{160,170}|xoxe-[0-9]-[A-Za-z0-9]{140,150}|xox[bpeaors]-(?:[0-9]-)?[0-9]{6,}-[A-Za-z0-9-]{6,250})', { severity: 'critical', entropy: 2.5,
      // A token cut short by a placeholder ("…-####") is a template.
      right: '[^A-Za-z0-9.#-]' }),
  t('slack-app-token', 'Slack app-level token', ['slack-app-token'], ['xapp-'], 'xapp-[0-9]-[A-Z0-9]+-[0-9]+-[A-Za-z0-9]+', { severity: 'critical' }),
  t('slack-webhook-url', 'Slack webhook URL', ['slack-webhook-url'], ['hooks.slack.com'], '(?:https?://)?hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{40,60}'),
  t('discord-webhook-url', 'Discord webhook URL', [], ['discord'], 'https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]+/[A-Za-z0-9_-]{60,68}'),
  t('discord-bot-token', 'Discord bot token', [], ['discord'], '[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}'),
  a('discord-credential', 'Discord application credential', ['discord-api-token', 'discord-client-id', 'discord-client-secret'], ['discord'], HEX(64) + '|[0-9]{18}|[A-Za-z0-9=_-]{32}', { entropy: 2 }),
  a('telegram-bot-token', 'Telegram bot token', ['telegram-bot-api-token'], ['telegram', 'tgram', 'bot_token', 'bottoken'], '[0-9]{5,16}:A[A-Za-z0-9_-]{34}'),
  t('telegram-bot-token-url', 'Telegram bot token', ['telegram-bot-api-token'], ['api.telegram.org/bot'], 'api\\.telegram\\.org/bot[0-9]{5,16}:A[A-Za-z0-9_-]{34}'),
  t('microsoft-teams-webhook', 'Microsoft Teams webhook URL', ['microsoft-teams-webhook'], ['webhook.office.com', 'webhookb2', 'incomingwebhook'], 'https://[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/' + UUID + '@' + UUID + '/IncomingWebhook/' + HEX(32) + '/' + UUID + '(?:/[A-Za-z0-9_-]{30,})?'),
  a('gitter-token', 'Gitter access token', ['gitter-access-token'], ['gitter'], '[A-Za-z0-9_-]{40}'),
  t('sendgrid-key', 'SendGrid API key', ['sendgrid-api-token'], ['sg.'], 'SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', { severity: 'critical' }),
  t('sendinblue-key', 'Brevo (Sendinblue) API key', ['sendinblue-api-token'], ['xkeysib-'], 'xkeysib-' + HEX(64) + '-' + ALNUM(16)),
  t('mailgun-key', 'Mailgun key', ['mailgun-private-api-token', 'mailgun-pub-key'], ['key-', 'pubkey-'], '(?:pub)?key-' + HEX(32), { entropy: 3 }),
  a('mailgun-signing-key', 'Mailgun webhook signing key', ['mailgun-signing-key'], ['mailgun'], HEX(32) + '-' + HEX(8) + '-' + HEX(8) + '|(?:pub)?key-' + HEX(32)),
  a('mailchimp-key', 'Mailchimp API key', ['mailchimp-api-key'], ['mailchimp'], HEX(32) + '-us[0-9]{1,2}'),
  a('messagebird-credential', 'MessageBird key', ['messagebird-api-token', 'messagebird-client-id'], ['messagebird', 'message-bird', 'message_bird'], ALNUM(25) + '|' + UUID),
  a('sendbird-credential', 'Sendbird app ID or token', ['sendbird-access-id', 'sendbird-access-token'], ['sendbird'], UUID + '|' + HEX(40)),
  t('twilio-api-key', 'Twilio API key', ['twilio-api-key'], ['sk'], 'SK' + HEX(32), { type: 'credential', entropy: 3, left: '' }),
  a('twilio-auth-token', 'Twilio auth token', [], ['twilio'], HEX(32)),
  a('twitter-credential', 'Twitter / X API credential', ['twitter-api-key', 'twitter-api-secret', 'twitter-access-token', 'twitter-access-secret', 'twitter-bearer-token'], ['twitter'],
    '[0-9]{15,25}-[A-Za-z0-9]{20,40}|A{22}[A-Za-z0-9%]{80,100}|[A-Za-z0-9]{50}|[A-Za-z0-9]{45}|[A-Za-z0-9]{25}'),
  t('twitter-bearer-token', 'Twitter / X bearer token', ['twitter-bearer-token'], ['aaaaaaaaaaaaaaaaaaaaaa'], 'A{22}[A-Za-z0-9%]{80,100}'),
  t('facebook-page-token', 'Facebook access token', ['facebook-page-access-token', 'facebook-access-token'], ['eaam', 'eaac'], 'EAA[MC][A-Za-z0-9]{100,}'),
  t('facebook-app-token', 'Facebook app access token', ['facebook-access-token'], ['facebook', 'fb_', 'access_token', 'graph.facebook'], '[0-9]{15,16}(?:\\||%7[cC])[A-Za-z0-9_-]{27,40}', { entropy: 3 }),
  a('facebook-secret', 'Facebook app secret', ['facebook-secret'], ['facebook'], HEX(32)),
  a('linkedin-credential', 'LinkedIn client ID or secret', ['linkedin-client-id', 'linkedin-client-secret'], ['linkedin', 'linked-in', 'linked_in'], ALNUM(14) + '|' + ALNUM(16)),
  a('twitch-token', 'Twitch API token', ['twitch-api-token'], ['twitch'], ALNUM(30)),
  a('flickr-token', 'Flickr access token', ['flickr-access-token'], ['flickr'], ALNUM(32)),
  a('nytimes-token', 'New York Times API key', ['nytimes-access-token'], ['nytimes', 'new-york-times', 'newyorktimes'], KEY(32)),
  a('yandex-legacy', 'Yandex key', [], ['yandex'], '(?:t1\\.[A-Za-z0-9_-]+={0,2}\\.[A-Za-z0-9_-]{86}={0,2}|AQVN[A-Za-z0-9_-]{35,38}|YC[A-Za-z0-9_-]{38})'),

  // ---------------------------------------------------------------- payments, commerce, finance
  t('stripe-key', 'Stripe secret or restricted key', ['stripe-access-token'], ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_'], '[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,247}', { type: 'credential', severity: 'critical', entropy: 2.5 }),
  t('square-token', 'Square access token', ['square-access-token'], ['sq0atp-', 'eaaa'], '(?:EAAA|sq0atp-)[A-Za-z0-9_-]{22,60}', { entropy: 3 }),
  t('square-secret', 'Square OAuth secret', [], ['sq0csp-'], 'sq0csp-[A-Za-z0-9_-]{43}'),
  a('squarespace-token', 'Squarespace API key', ['squarespace-access-token'], ['squarespace'], UUID),
  t('shopify-token', 'Shopify token or shared secret', ['shopify-access-token', 'shopify-custom-access-token', 'shopify-private-app-access-token', 'shopify-shared-secret'], ['shpat_', 'shpca_', 'shppa_', 'shpss_'], 'shp(?:at|ca|pa|ss)_' + ALNUM('32,40'), { severity: 'critical' }),
  t('shippo-token', 'Shippo API token', ['shippo-api-token'], ['shippo_'], 'shippo_(?:live|test)_' + HEX(40)),
  t('easypost-key', 'EasyPost API key', ['easypost-api-token', 'easypost-test-api-token'], ['ezak', 'eztk'], 'EZ[AT]K[A-Za-z0-9]{54}'),
  t('duffel-token', 'Duffel API token', ['duffel-api-token'], ['duffel_'], 'duffel_(?:test|live)_[A-Za-z0-9_=-]{43}'),
  t('flutterwave-key', 'Flutterwave key', ['flutterwave-public-key', 'flutterwave-secret-key', 'flutterwave-encryption-key'], ['flwpubk_test', 'flwseck_test', 'flwpubk-', 'flwseck-'], 'FLW(?:PUBK|SECK)(?:_TEST)?-(?:[A-Za-z0-9]{32}-X|[A-Za-z0-9]{12})'),
  t('gocardless-token', 'GoCardless access token', ['gocardless-api-token'], ['live_', 'sandbox_'], '(?:live|sandbox)_[A-Za-z0-9_=-]{40}', { entropy: 3.5 }),
  t('plaid-access-token', 'Plaid access token', ['plaid-api-token'], ['access-sandbox-', 'access-development-', 'access-production-'], 'access-(?:sandbox|development|production)-' + UUID),
  a('plaid-credential', 'Plaid client ID or secret', ['plaid-client-id', 'plaid-secret-key'], ['plaid'], ALNUM(24) + '|' + ALNUM(30)),
  a('lob-key', 'Lob API key', ['lob-api-key', 'lob-pub-api-key'], ['lob_', 'lob-', 'lobkey', 'lob.'], '(?:live|test)_(?:pub_)?' + HEX('31,35')),
  a('finicity-credential', 'Finicity API key or secret', ['finicity-api-token', 'finicity-client-secret'], ['finicity'], HEX(32) + '|' + ALNUM(20)),
  a('finnhub-token', 'Finnhub access token', ['finnhub-access-token'], ['finnhub'], ALNUM(20)),
  a('coinbase-token', 'Coinbase access token', ['coinbase-access-token'], ['coinbase'], '[A-Za-z0-9_-]{64}'),
  a('kraken-token', 'Kraken access token', ['kraken-access-token'], ['kraken'], '[A-Za-z0-9/=_+-]{80,90}'),
  a('kucoin-credential', 'KuCoin access or secret key', ['kucoin-access-token', 'kucoin-secret-key'], ['kucoin'], HEX(24) + '|' + UUID),
  a('bittrex-key', 'Bittrex access or secret key', ['bittrex-access-key', 'bittrex-secret-key'], ['bittrex'], ALNUM(32)),
  a('freshbooks-token', 'FreshBooks access token', ['freshbooks-access-token'], ['freshbooks'], ALNUM(64)),
  a('etsy-token', 'Etsy access token', ['etsy-access-token'], ['etsy'], ALNUM(24)),
  a('freemius-key', 'Freemius secret key', ['freemius-secret-key'], ['secret_key', 'freemius'], 'sk_[A-Za-z0-9!-~]{29}', { entropy: 3 }),
  a('zendesk-key', 'Zendesk secret key', ['zendesk-secret-key'], ['zendesk'], ALNUM(40)),
  a('hubspot-key', 'HubSpot API key', ['hubspot-api-key'], ['hubspot'], UUID + '|pat-[a-z0-9]{2,4}-' + UUID),
  a('intercom-key', 'Intercom API key', ['intercom-api-key'], ['intercom'], KEY('59,60')),
  a('asana-credential', 'Asana client ID or secret', ['asana-client-id', 'asana-client-secret'], ['asana'], '[0-9]{16}|' + ALNUM(32), { entropy: 2.5 }),
  a('contentful-token', 'Contentful delivery API token', ['contentful-delivery-api-token'], ['contentful'], KEY(43)),
  a('looker-credential', 'Looker client ID or secret', ['looker-client-id', 'looker-client-secret'], ['looker'], ALNUM(20) + '|' + ALNUM(24)),
  a('rapidapi-key', 'RapidAPI key', ['rapidapi-access-token'], ['rapidapi'], '[A-Za-z0-9_-]{50}'),
  a('privateai-key', 'Private AI API key', ['privateai-api-token'], ['private_ai', 'private-ai', 'privateai'], ALNUM(32)),
  a('beamer-token', 'Beamer API key', ['beamer-api-token'], ['beamer'], 'b_[A-Za-z0-9=_-]{44}'),
  a('dropbox-token', 'Dropbox token', ['dropbox-api-token', 'dropbox-short-lived-api-token', 'dropbox-long-lived-api-token'], ['dropbox'], 'sl\\.[A-Za-z0-9=_-]{130,160}|[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_=-]{43}|[A-Za-z0-9]{15}'),
  t('dropbox-short-lived', 'Dropbox short-lived token', ['dropbox-short-lived-api-token'], ['sl.'], 'sl\\.[A-Za-z0-9_-]{130,160}', { entropy: 4 }),
  a('algolia-key', 'Algolia API key', ['algolia-api-key'], ['algolia'], ALNUM(32)),
  a('adafruit-key', 'Adafruit IO key', ['adafruit-api-key'], ['adafruit'], '[A-Za-z0-9_-]{32}'),
  t('adafruit-io-key', 'Adafruit IO key', ['adafruit-api-key'], ['aio_'], 'aio_' + ALNUM(28)),
  a('adobe-client-id', 'Adobe client ID', ['adobe-client-id'], ['adobe'], HEX(32)),
  t('adobe-client-secret', 'Adobe client secret', ['adobe-client-secret'], ['p8e-'], 'p8e-[A-Za-z0-9_-]{32}', { type: 'credential' }),
  a('airtable-key', 'Airtable API key', ['airtable-api-key'], ['airtable'], 'key[A-Za-z0-9]{14}|' + ALNUM(17)),
  t('airtable-pat', 'Airtable personal access token', ['airtable-personnal-access-token'], ['pat'], 'pat[A-Za-z0-9]{14}\\.' + HEX(64)),
  a('cisco-meraki-key', 'Cisco Meraki API key', ['cisco-meraki-api-key'], ['meraki'], '[0-9a-f]{40}'),
  a('confluent-credential', 'Confluent access or secret key', ['confluent-access-token', 'confluent-secret-key'], ['confluent'], ALNUM(16) + '|' + ALNUM(64)),
  a('mapbox-token', 'Mapbox access token', ['mapbox-api-token'], ['mapbox'], '(?:pk|sk|tk)\\.[A-Za-z0-9]{60}\\.[A-Za-z0-9_-]{22}'),
  t('mapbox-secret-token', 'Mapbox secret token', ['mapbox-api-token'], ['sk.ey'], 'sk\\.eyJ[A-Za-z0-9]{55,70}\\.[A-Za-z0-9_-]{22}'),
  t('maxmind-license-key', 'MaxMind license key', ['maxmind-license-key'], ['_mmk'], ALNUM(6) + '_' + ALNUM(29) + '_mmk'),
  t('intra42-secret', '42 intra client secret', ['intra42-client-secret'], ['s-s4t2'], 's-s4t2(?:ud|af)-' + HEX(64)),
  a('okta-token', 'Okta API token', ['okta-access-token'], ['okta'], '00[A-Za-z0-9=_-]{40}'),
  t('sidekiq-url', 'Sidekiq Enterprise credentials in a URL', ['sidekiq-sensitive-url'], ['contribsys.com'], 'https?://' + HEX(8) + ':' + HEX(8) + '@(?:gems|enterprise)\\.contribsys\\.com', { type: 'credential' }),
  a('sidekiq-secret', 'Sidekiq Enterprise credentials', ['sidekiq-secret'], ['BUNDLE_ENTERPRISE__CONTRIBSYS__COM', 'BUNDLE_GEMS__CONTRIBSYS__COM'], HEX(8) + ':' + HEX(8), { entropy: 2 }),

  // ---------------------------------------------------------------- AI providers
  t('openai-api-key', 'OpenAI API key', ['openai-api-key'], ['t3blbkfj', 'sk-proj-', 'sk-svcacct-', 'sk-admin-'], 'sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74}', { type: 'credential', severity: 'critical' }),
  t('anthropic-api-key', 'Anthropic API key', ['anthropic-api-key', 'anthropic-admin-api-key'], ['sk-ant-'], 'sk-ant-(?:api|admin|sid)[0-9]{2}-[A-Za-z0-9_-]{80,100}AA', { type: 'credential', severity: 'critical' }),
  t('groq-api-key', 'Groq API key', [], ['gsk_'], 'gsk_' + ALNUM(52), { type: 'credential' }),
  t('huggingface-token', 'Hugging Face token', ['huggingface-access-token', 'huggingface-organization-api-token'], ['hf_', 'api_org_'], '(?:hf|api_org)_[A-Za-z]{34}', { entropy: 3 }),
  t('perplexity-key', 'Perplexity API key', ['perplexity-api-key'], ['pplx-'], 'pplx-' + ALNUM(48), { type: 'credential' }),
  a('cohere-key', 'Cohere API key', ['cohere-api-token'], ['cohere', 'co_api_key'], ALNUM(40)),
  t('linear-api-key', 'Linear API key', ['linear-api-key'], ['lin_api_'], 'lin_api_' + ALNUM('40,64'), { type: 'credential' }),
  a('linear-client-secret', 'Linear client secret', ['linear-client-secret'], ['linear'], HEX(32)),
  t('notion-token', 'Notion integration token', ['notion-api-token'], ['ntn_', 'secret_'], '(?:ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})', { entropy: 3 }),

  // ---------------------------------------------------------------- files
  { id: 'pkcs12-file', name: 'PKCS #12 keystore file', covers: ['pkcs12-file'], keywords: [], path: String.raw`(?i)(?:^|/)[^/]+\.(?:p12|pfx)$`, type: 'private_key', severity: 'high' },

  // ---------------------------------------------------------------- generic credentials
  {
    id: 'private-key', name: 'Private key', covers: ['private-key'], keywords: ['-----begin'], type: 'private_key', severity: 'critical',
    // The BEGIN line, optional PEM headers, then at least 64 characters of key body (newlines may be
    // real or escaped, as in JSON). No END is needed: a truncated or mangled key is still a key.
    regex: String.raw`(?i)(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\\[nr]|\s)*(?:[A-Za-z-]{2,30}:[^\n]{0,200}(?:\\[nr]|\s)+){0,3}(?:[A-Za-z0-9+/=]|\\[nr]|\s){64})`, secretGroup: 1,
  },
  t('jwt', 'JSON Web Token', ['jwt'], ['eyj'], 'eyJ[A-Za-z0-9_-]{15,}\\.eyJ[A-Za-z0-9_-]{15,}\\.[A-Za-z0-9_-]{10,}={0,2}', { severity: 'medium' }),
  t('jwt-base64', 'Base64-encoded JSON Web Token', ['jwt-base64'], ['zxlk'], 'ZXlK[A-Za-z0-9+/]{20,}={0,2}\\.?(?:ZXlK|[A-Za-z0-9+/])[A-Za-z0-9+/=.]{40,}', { severity: 'medium', entropy: 4 }),
  {
    id: 'curl-auth-header', name: 'Credential in a curl Authorization header', covers: ['curl-auth-header'], keywords: ['curl'], type: 'credential', severity: 'high',
    regex: String.raw`(?i)curl\b(?:[^\n]*\\\r?\n){0,4}[^\n]*?(?:-H|--header)[= ]{1,3}["']?(?:Authorization|Proxy-Authorization|(?:x-)?api[_-]?(?:key|token)|(?:x-)?(?:auth|access|private)[_-]?token|x-token|token)\s*:\s*(?:(?:Basic|Bearer|Token|ApiKey)\s+)?([A-Za-z0-9._~+/=-]{8,})`,
    secretGroup: 1, entropy: 2.5, allowlists: [{ regexes: [String.raw`^\$`, String.raw`(?i)^(?:token|bearer|xxx+|your)`] }],
  },
  {
    id: 'curl-auth-user', name: 'Password in curl -u / --user', covers: ['curl-auth-user'], keywords: ['curl'], type: 'password', severity: 'high',
    // Options may continue on the next lines (`\` line continuations); `-u token:` passes a key as the user.
    regex: String.raw`(?i)curl\b(?:[^\n]*\\\r?\n){0,4}[^\n]*?\s(?:-u|--user)[= ]{0,3}["']?(?:[^\s:'"$<\[]{1,64}["']?:["']?([^\s'"$]{3,128})|([A-Za-z0-9_!.+/=-]{8,128}):["'\s])`,
    secretGroup: 0, entropy: 1.5,
    allowlists: [{ regexes: [String.raw`(?i)^(?:pass(?:word|wd)?|secret|pwd|x+|\*+|\$\{?\w+\}?)$`, String.raw`^\$`, String.raw`[<>\[\]]`] }],
  },
  {
    id: 'authorization-header', name: 'Credential in an Authorization header', covers: [], keywords: ['authorization', 'bearer', 'basic', 'token'], type: 'credential', severity: 'high',
    regex: String.raw`(?i)Authorization["']?\s*[:=,]\s*["']?(?:Basic|Bearer|Token)\s+([A-Za-z0-9._~+/=-]{12,})`,
    secretGroup: 1, entropy: 3, allowlists: [{ regexes: [String.raw`^\$`, String.raw`(?i)(?:x{4,}|token|bearer|example)`] }],
  },
  {
    id: 'url-basic-auth', name: 'Password in a URL', covers: [], keywords: ['://'], type: 'password', severity: 'high',
    // No counted repetition before the password: a URL-heavy file stays on RE2's fast path.
    regex: String.raw`[A-Za-z][A-Za-z0-9+.-]*://[A-Za-z0-9._%~!$&*+;=-]+:([^\s'"/@<>{}\x60]{4,128})@[A-Za-z0-9._\[\]-]+`,
    secretGroup: 1, entropy: 1,
    allowlists: [{ regexes: [String.raw`(?i)^(?:password|passwd|secret|pwd|\*+|x+|\.+|changeme|mypassword|your[_-]?password|<[^>]*>|%s|%\(\w+\)s)$`, String.raw`^\$`, String.raw`^\{`] }],
  },
  {
    id: 'database-connection-password', name: 'Password in a database connection string', covers: [], keywords: ['password=', 'pwd=', 'password:'], type: 'password', severity: 'high',
    regex: String.raw`(?i)(?:Server|Data Source|Host|Address|jdbc:[a-z]+:)[^\n]{0,200}?;\s*(?:Password|Pwd)\s*=\s*([^;'"\s]{4,128})`,
    secretGroup: 1, entropy: 1.5, allowlists: [{ regexes: [String.raw`(?i)^(?:pass(?:word|wd)?|secret|\*+|x+|\$\{?\w+\}?|<[^>]*>|\{\d*\})$`] }],
  },
  {
    id: 'dotenv-high-entropy-value', name: 'High-entropy value in a dotenv file', covers: [], keywords: [], type: 'credential', severity: 'medium',
    path: String.raw`(?i)(?:^|/)(?:\.env(?:\.[\w-]+)?|[\w-]+\.env)$`,
    regex: String.raw`(?m)^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*['"]?([A-Za-z0-9+/=_-]{20,})['"]?\s*$`, secretGroup: 1, entropy: 4,
  },
  {
    id: 'generic-api-key', name: 'API key, token or secret assigned in code or config', covers: ['generic-api-key'], type: 'credential', severity: 'high',
    keywords: ['key', 'token', 'secret', 'auth', 'access', 'api', 'credential', 'creds'],
    regex: assigned(
      wordPart(['api[_.-]?key', 'apikey', 'access[_.-]?key', 'secret[_.-]?key', 'client[_.-]?secret', 'app[_.-]?secret', 'auth[_.-]?token', 'access[_.-]?token', 'api[_.-]?token', 'refresh[_.-]?token', 'bearer[_.-]?token', 'private[_.-]?key', 'signing[_.-]?key', 'master[_.-]?key', 'encryption[_.-]?key', 'secret', 'token', 'credentials?', 'creds', 'auth', 'key']),
      String.raw`[A-Za-z0-9_=+/.~-]{16,200}`,
      true,
    ),
    secretGroup: 1, entropy: 3.5,
    allowlists: [
      {
        regexes: [
          // Words and identifiers: no digit, camelCase, snake_case with several parts, dotted names (code, hosts).
          String.raw`^[A-Za-z_.-]+$`, String.raw`^[a-z]+(?:[A-Z][a-z0-9]+)+$`,
          String.raw`^[A-Za-z0-9]+(?:_[A-Za-z0-9]+){2,}=?$`, String.raw`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$`,
          // Slugs and dashed names (lower-case words, or four or more parts), UUIDs (IDs, not keys).
          String.raw`^[a-z0-9]+(?:-[a-z0-9]+){2,}$`, String.raw`^[A-Za-z0-9]+(?:-[A-Za-z0-9]+){3,}$`,
          String.raw`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`,
          // Numbers, MAC-like groups, paths, versions, template and environment references.
          String.raw`^[0-9._-]+$`, String.raw`^(?:[0-9a-fA-F]{2}[:-]){5,}[0-9a-fA-F]{2}$`,
          String.raw`^(?:\.{0,2}/)?(?:[\w.-]+/)+[\w.-]*$`, String.raw`^/`, String.raw`^v?[0-9]+(?:\.[0-9]+){1,3}`, String.raw`^\$`, String.raw`^%`,
          // Words joined by `+` (build-setting lists).
          String.raw`^\+?[a-z]+(?:\+[a-z]+)+$`,
          // Code: a chained assignment (`a=b.c=…`), or an expression on a member (`this.pos+1`).
          String.raw`[\w$]=[A-Za-z_$]`, String.raw`^[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$]*[+-]`,
          // CamelCase names (two capitalised words in a row: `X509KeyUsageExtension`).
          String.raw`(?:[A-Z][a-z]{3,}){2}`,
          // Elided in the text ("ops_eyJ…" in a log or a doc).
          String.raw`\.\.\.$`,
        ],
        stopwords: [
          'example', 'sample', 'placeholder', 'changeme', 'dummy', 'redacted', 'replace', 'your', 'xxxx', 'fake', 'localhost', 'undefined', 'function', 'process.env', 'getenv', 'environ',
          '0123456789', '123456789', 'abcdefgh', 'qwerty',
          // The same placeholders base64-encoded: "dummy", "example", "password", "secret", "changeme".
          'zhvtbxk', 'zxhhbxbsz', 'cgfzc3dvcm', 'c2vjcmv0', 'y2hhbmdlbw',
          // Public keys (base64 DER SubjectPublicKeyInfo: EC P-256/P-384, RSA 2048/4096, Ed25519), such as registry signing keys.
          'mfkwewyhkozizj0caqy', 'mhywebyhkozizj0caqy', 'miibijanbgkqhkig9w0baqefaaocaq8a', 'miicijanbgkqhkig9w0baqefaaocag8a', 'mcowbqydk2vwayea',
        ],
      },
      // The name says it is not a secret: an ID, a name, a path, a size…, or a public/CSRF/hash value.
      { regexTarget: 'match', regexes: [String.raw`(?i)(?:name|id|ids|path|url|uri|file|type|size|len|length|count|mode|format|field|prefix|suffix|header|version|ref|alias|label|title|pattern|chars)["'\]]?[ \t]*(?::=|=>|[=:,>])`] },
      // An AWS secret key has its own rule that knows its exact format.
      // The WebSocket handshake's Sec-WebSocket-Key/Accept are public nonces.
      { regexTarget: 'line', regexes: [String.raw`(?:^|\n)\s*(?:module\.)?exports\.[\w$]+\s*=\s*[\w$]+;?\s*$`, String.raw`(?i)Sec-WebSocket-(?:Key|Accept)`, String.raw`(?i)aws[_.-]?secret[_.-]?access[_.-]?key`, String.raw`(?i)(?:public|publishable)[_.-]?(?:key|token)`, String.raw`(?i)(?:csrf|xsrf)[_.-]?token|nonce`, String.raw`(?i)(?:checksum|sha\d*|md5|hash|integrity|digest)\s*[:=]`, String.raw`(?i)(?:gpg|pgp)[_.-]?key|fingerprint|key[_.-]?id\b`] },
    ],
  },
  {
    id: 'generic-password-assignment', name: 'Password assigned in code or config', covers: ['generic-api-key'], type: 'password', severity: 'high',
    keywords: ['password', 'passwd', 'pwd', 'passphrase'],
    regex: assigned(wordPart(['passw(?:or)?d', 'pwd', 'passphrase']), String.raw`[^\s'"\x60;,<>{}()\[\]\\]{6,128}`, true),
    secretGroup: 1, entropy: 2.8,
    allowlists: [
      {
        regexes: [
          String.raw`(?i)^(?:true|false|null|none|nil|undefined|required|optional|string|int|bool|password|secret|token|hidden|text|empty|changeme|\*+|x+|\.+)$`,
          String.raw`^[a-z]+(?:[._-][a-z]+)+$`, String.raw`^[a-z]+(?:[A-Z][a-z]+)+[0-9]{0,2}$`, String.raw`^[A-Za-z_]+$`,
          // Code: member access, negation, a literal at the end.
          String.raw`^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$`, String.raw`^!`, String.raw`(?i)(?:true|false|null|none|undefined)$`,
          String.raw`^\$`, String.raw`^%`, String.raw`^&`, String.raw`^(?:/[\w.-]+)+/?$`, String.raw`^[\w.-]+(?:/[\w.-]+)+$`, String.raw`^[a-z][a-z0-9+.-]*://`,
          String.raw`(?i)^(?:os\.)?(?:getenv|environ|process\.env|config|settings|self|this|request|params|args|options|opts)\b`,
        ],
        stopwords: ['example', 'placeholder', 'changeme', 'dummy', 'redacted', 'your', 'xxxx', '****', 'sample', 'password', 'passwd'],
      },
    ],
  },
];
