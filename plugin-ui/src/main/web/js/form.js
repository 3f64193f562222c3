// An effect's form, generated from its parameter declarations (the ones the command line's --set is checked against),
// with the declared ranges checked as the user types; the server checks the same again.

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** The client-side check of one value against its declaration: an error message naming the parameter, or null. */
export function check(spec, raw) {
  const v = String(raw ?? '').trim();
  const bad = (why) => `parameter '${spec.name}': value '${raw}' ${why}`;
  switch (spec.type) {
    case 'choice':
      return spec.choices.some((c) => c.toLowerCase() === v.toLowerCase()) ? null : bad('is not one of ' + spec.range);
    case 'number': {
      if (v === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return bad('is not a number (expected ' + spec.range + ')');
      const d = Number(v);
      if ((spec.min !== null && d < spec.min) || (spec.max !== null && d > spec.max)) return bad('is out of range ' + spec.range);
      return null;
    }
    case 'integer': {
      if (!/^[-+]?\d+$/.test(v)) return bad('is not a whole number (expected ' + spec.range + ')');
      const d = Number(v);
      if ((spec.min !== null && d < spec.min) || (spec.max !== null && d > spec.max)) return bad('is out of range ' + spec.range);
      return null;
    }
    case 'boolean':
      return ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'].includes(v.toLowerCase()) ? null : bad('is not true or false');
    default:
      return null;
  }
}

/** Builds the controls of `effect` into `container`; returns {values(), showErrors(map), valid()}. */
export function buildForm(container, effect, onChange) {
  container.replaceChildren();
  const inputs = new Map();
  const errors = new Map();
  for (const p of effect.parameters) {
    const id = 'param-' + p.name;
    let input;
    if (p.type === 'choice') {
      input = el('select', { id, name: p.name });
      for (const c of p.choices) input.append(el('option', { value: c }, c));
      input.value = p.default;
    } else if (p.type === 'boolean') {
      input = el('input', { id, name: p.name, type: 'checkbox' });
      input.checked = p.default === true;
    } else if (p.type === 'number' || p.type === 'integer') {
      input = el('input', { id, name: p.name, type: 'text', inputmode: 'decimal', value: String(p.default),
        'data-min': p.min, 'data-max': p.max });
    } else {
      input = el('input', { id, name: p.name, type: 'text', value: p.default ?? '' });
    }
    const err = el('div', { class: 'error', id: id + '-error', role: 'alert' });
    const hint = p.type === 'text' || p.type === 'boolean' ? '' : ` (${p.range})`;
    container.append(el('div', { class: 'param', 'data-param': p.name },
      el('label', { for: id }, p.name + hint), input, el('div', { class: 'help' }, p.help), err));
    inputs.set(p.name, { spec: p, input, err });
    const update = () => {
      const msg = check(p, value(p, input));
      setError(p.name, msg);
      onChange();
    };
    input.addEventListener('input', update);
    input.addEventListener('change', update);
  }

  function value(p, input) {
    return p.type === 'boolean' ? String(input.checked) : input.value;
  }

  function setError(name, msg) {
    const e = inputs.get(name);
    if (!e) return;
    e.err.textContent = msg || '';
    e.input.classList.toggle('invalid', !!msg);
    e.input.setAttribute('aria-invalid', msg ? 'true' : 'false');
    if (msg) errors.set(name, msg); else errors.delete(name);
  }

  return {
    values() {
      const out = {};
      for (const [name, { spec, input }] of inputs) out[name] = value(spec, input);
      return out;
    },
    /** Shows the server's errors by parameter (replacing the client's for those parameters). */
    showErrors(map) {
      for (const name of inputs.keys()) {
        if (!(name in map)) {
          const { spec, input } = inputs.get(name);
          setError(name, check(spec, value(spec, input)));
        }
      }
      for (const [name, msg] of Object.entries(map)) setError(name, msg);
    },
    valid() {
      return errors.size === 0;
    },
  };
}
