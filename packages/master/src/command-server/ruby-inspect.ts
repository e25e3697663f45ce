// Ruby's `#class` and `#inspect` of YAML values, for einhorn's error texts; shared with the
// einhornsh-node shell through core's YAML entry.
export { rubyClassName, rubyInspect } from '@einhorn/core/yaml';
