// SPDX-FileCopyrightText: 2026 The deskrun authors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Writes the part of GitHub's OpenAPI description (@octokit/openapi, dereferenced) that
// deskrun's GitHub client calls, so Prism loads it in about two seconds instead of nine
// (TESTING.md). Usage: node github-subset.js SPEC.deref.json OUT.json
'use strict';
const fs = require('fs');

const paths = [
  '/repos/{owner}/{repo}',
  '/repos/{owner}/{repo}/branches',
  '/repos/{owner}/{repo}/contents/{path}',
  '/repos/{owner}/{repo}/git/ref/{ref}',
  '/repos/{owner}/{repo}/git/refs',
  '/repos/{owner}/{repo}/git/refs/{ref}',
  '/repos/{owner}/{repo}/installation',
  '/repos/{owner}/{repo}/actions/runs',
  '/repos/{owner}/{repo}/actions/runs/{run_id}',
  '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
  '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel',
  '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs',
  '/repos/{owner}/{repo}/actions/jobs/{job_id}',
  '/repos/{owner}/{repo}/actions/jobs/{job_id}/logs',
  '/repos/{owner}/{repo}/actions/workflows',
  '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
  '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
  '/repos/{owner}/{repo}/actions/runners',
  '/orgs/{org}',
  '/orgs/{org}/repos',
  '/orgs/{org}/installation',
  '/orgs/{org}/actions/runners',
  '/orgs/{org}/actions/runner-groups',
  '/orgs/{org}/actions/runner-groups/{runner_group_id}/repositories',
  '/app/installations',
  '/app/installations/{installation_id}/access_tokens',
  '/installation/repositories',
];

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node github-subset.js SPEC.deref.json OUT.json');
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(input, 'utf8'));
const subset = {
  openapi: spec.openapi,
  info: spec.info,
  servers: spec.servers,
  paths: {},
  components: {},
};
const missing = [];
for (const path of paths) {
  if (spec.paths[path]) subset.paths[path] = spec.paths[path];
  else missing.push(path);
}
if (missing.length > 0) {
  // A path the client calls that GitHub does not describe is a finding, not a skip.
  console.error('not in the OpenAPI description: ' + missing.join(', '));
  process.exit(1);
}
fs.writeFileSync(output, JSON.stringify(subset));
console.log(`${Object.keys(subset.paths).length} paths written to ${output}`);
