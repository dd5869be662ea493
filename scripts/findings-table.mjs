// The findings table of docs/findings.md, made from the finding catalogue (one source for code and docs).
export async function findingsTable() {
  const { FINDING_CODES } = await import('../dist/core/findings.js');
  const stages = {
    offline: 'offline (every command)',
    online: 'online (`validate --online`, `generate`, `init`, `doctor`)',
    doctor: 'hosted UI probes (`doctor`)',
    aws: 'Cognito through the AWS API (`doctor`, `plan`, `apply` with AWS credentials)',
    creatio: 'Creatio API (`doctor`, `plan`, `apply`)',
    login: 'login proof (`doctor --login`)',
  };
  let out = '';
  for (const [stage, title] of Object.entries(stages)) {
    out += `\n**${title}**\n\n| code | severity | when | fix |\n| --- | --- | --- | --- |\n`;
    for (const [code, info] of Object.entries(FINDING_CODES)) {
      if (info.stage !== stage) continue;
      const esc = (s) => s.replace(/\|/g, '\\|');
      out += `| \`${code}\` | ${code === 'region/unknown' ? 'error / warning' : info.severity} | ${esc(info.when)} | ${esc(info.fix)} |\n`;
    }
  }
  return `${out}\n`;
}
