# One-off helper used while assembling README.md from the fragments each command's author wrote.
import re, sys
readme = open('README.md').read()
for name in sys.argv[1:]:
    frag = open(f'docs/readme/{name}.md').read().strip() + '\n'
    # Demote headings one level: fragments are written as top-level sections.
    frag = re.sub(r'^(#{2,5}) ', lambda m: '#' + m.group(1) + ' ', frag, flags=re.M)
    readme = re.sub(rf'<!-- section:{name} -->.*?<!-- /section:{name} -->', lambda m: f'<!-- section:{name} -->\n{frag}<!-- /section:{name} -->', readme, flags=re.S)
open('README.md', 'w').write(readme)
