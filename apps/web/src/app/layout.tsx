import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import '../styles/base.css';
import '../styles/shell.css';
import '../styles/controls.css';
import '../styles/pages.css';

export const metadata: Metadata = {
  title: { default: 'IaC Dharma', template: '%s · IaC Dharma' },
  description: 'Design, version and govern cloud infrastructure blueprints',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
