"""Use cases: one async function per action; each checks guards, writes models, audits and publishes."""
