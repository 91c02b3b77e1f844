import { spawnSync } from 'node:child_process';

/**
 * A python3 that can import `modules`: Debian's packages live in the system python, and a pyenv or venv
 * python3 first on PATH may lack them. Throws naming the Debian packages to install.
 */
export function findPython(modules: readonly string[], debianPackages: string): string {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' }).status === 0) return python;
  }
  throw new Error(`Needs Python ${modules.join(', ')}: install the Debian packages ${debianPackages} (apt-get install -y ${debianPackages})`);
}
