# Versions of the external tools the project pins. Sourced by the other scripts.
CFN_LINT_VERSION=1.58.0
# The region whose schema of a type is used where regions differ (any region's otherwise).
SCHEMA_REGION=eu-west-2
TOOLS_DIR="${INFRA_TOOLS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools}"
# checkov judges the synthesized templates as a security reviewer would.
CHECKOV_VERSION=3.3.30
# parliament lints the identity policies of the synthesized templates.
PARLIAMENT_VERSION=1.6.4
