/** Where the common OIDC providers live; the console's form starts from one (a pure module: the browser imports it). */
export const OIDC_PRESETS = {
  google: { label: 'Google Workspace', issuer: 'https://accounts.google.com', groupsClaim: 'groups' },
  entra: { label: 'Microsoft Entra ID', issuer: 'https://login.microsoftonline.com/{tenant-id}/v2.0', groupsClaim: 'groups' },
  okta: { label: 'Okta', issuer: 'https://{your-domain}.okta.com', groupsClaim: 'groups' },
  github: { label: 'GitHub (through an OIDC bridge such as Dex)', issuer: 'https://dex.example.com', groupsClaim: 'groups' },
} as const;
