import { useEffect, useState } from 'preact/hooks';

type Theme = 'auto' | 'light' | 'dark';
const next: Record<Theme, Theme> = { auto: 'light', light: 'dark', dark: 'auto' };

/** Light, dark, or the system's choice; remembered per browser profile. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('shipshape-theme') as Theme | null) ?? 'auto');
  useEffect(() => {
    if (theme === 'auto') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    localStorage.setItem('shipshape-theme', theme);
  }, [theme]);
  return (
    <button type="button" class="icon" aria-label={`Theme: ${theme}. Switch to ${next[theme]}`} title={`Theme: ${theme}`} onClick={() => setTheme(next[theme])}>
      {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}
    </button>
  );
}

/** Applies the remembered theme before the first paint (popup and options have no toggle). */
export function applyStoredTheme(): void {
  const theme = localStorage.getItem('shipshape-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
}
