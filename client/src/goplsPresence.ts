// goRubric.deferToGopls: whether the rules that duplicate gopls's default vet analyzers (lostcancel,
// sigchanyzer, ...) are left to gopls. "auto" is decided here, where the Go extension is visible:
// on when the Go extension (golang.go) is enabled in this window and runs gopls
// (go.useLanguageServer, true unless turned off). The server sees only "on" or "off" from VS Code.

/** The Go extension's id in the marketplace. */
export const GO_EXTENSION_ID = 'golang.go';

export type DeferSetting = 'on' | 'off' | 'auto';

/** The setting as the server should see it, given what this window runs. */
export function resolveDeferToGopls(setting: unknown, goExtensionEnabled: boolean, useLanguageServer: unknown): 'on' | 'off' {
  if (setting === 'on' || setting === true) return 'on';
  if (setting === 'off' || setting === false) return 'off';
  return goExtensionEnabled && useLanguageServer !== false ? 'on' : 'off';
}

/**
 * A workspace/configuration answer with goRubric.deferToGopls resolved: the `goRubric` sections
 * (objects) get "on" or "off"; anything else is passed through untouched.
 */
export function withDeferResolved(section: unknown, goExtensionEnabled: boolean, useLanguageServer: unknown): unknown {
  if (!section || typeof section !== 'object' || Array.isArray(section)) return section;
  const settings = section as Record<string, unknown>;
  return { ...settings, deferToGopls: resolveDeferToGopls(settings.deferToGopls, goExtensionEnabled, useLanguageServer) };
}
