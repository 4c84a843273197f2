// A small stand-in for the DOM elements Obsidian hands to plugins, with Obsidian's helpers
// (createEl, createDiv, setText, appendText, empty, toggle, addClass...). Enough for a settings
// tab; no layout, no events beyond what the components fire. `innerHTML` is refused: plugins
// must build elements, never parse markup.

"use strict";

const { strict, NotImplementedError } = require("./strict.cjs");

class FakeElement {
  constructor(tagName, options = {}) {
    this.tagName = tagName.toUpperCase();
    this.children = [];
    this.parentElement = null;
    this.classList = new FakeClassList();
    this.attributes = {};
    this.style = {};
    this.dataset = {};
    this.hidden = false;
    this.ownText = "";
    this.value = "";
    this.type = "";
    this.placeholder = "";
    this.autocomplete = "";
    this.disabled = false;
    this.checked = false;
    /** Set by the test Obsidian's Setting on its row element. */
    this.setting = undefined;
    /** Set by the test Obsidian's ButtonComponent on its button element. */
    this.component = undefined;
    applyOptions(this, options);
  }

  // Obsidian's element helpers.

  createEl(tagName, options = {}, callback) {
    const child = makeElement(tagName, options);
    this.appendChild(child);
    if (typeof callback === "function") callback(child);
    return child;
  }

  createDiv(options = {}, callback) {
    return this.createEl("div", typeof options === "string" ? { cls: options } : options, callback);
  }

  createSpan(options = {}, callback) {
    return this.createEl(
      "span",
      typeof options === "string" ? { cls: options } : options,
      callback,
    );
  }

  appendText(text) {
    this.appendChild(makeElement("#text", { text: String(text) }));
  }

  setText(text) {
    this.children = [];
    this.ownText = String(text);
  }

  getText() {
    return this.textContent;
  }

  empty() {
    this.children = [];
    this.ownText = "";
  }

  /** Obsidian's `toggle(show)`: shows or hides the element. */
  toggle(show) {
    this.hidden = !show;
    this.style.display = show ? "" : "none";
  }

  show() {
    this.toggle(true);
  }

  hide() {
    this.toggle(false);
  }

  isShown() {
    return !this.hidden;
  }

  addClass(...classes) {
    this.classList.add(...classes);
  }

  addClasses(classes) {
    this.classList.add(...classes);
  }

  removeClass(...classes) {
    this.classList.remove(...classes);
  }

  toggleClass(cls, value) {
    this.classList.toggle(cls, value);
  }

  hasClass(cls) {
    return this.classList.contains(cls);
  }

  setAttr(name, value) {
    this.attributes[name] = String(value);
  }

  getAttr(name) {
    return this.attributes[name] ?? null;
  }

  // Standard DOM members the settings components use.

  setAttribute(name, value) {
    this.setAttr(name, value);
  }

  getAttribute(name) {
    return this.getAttr(name);
  }

  appendChild(child) {
    if (child.parentElement) child.remove();
    child.parentElement = this;
    this.children.push(child);
    return child;
  }

  append(...nodes) {
    for (const node of nodes) {
      if (typeof node === "string") this.appendChild(makeElement("#text", { text: node }));
      else this.appendChild(node);
    }
  }

  remove() {
    if (!this.parentElement) return;
    const siblings = this.parentElement.children;
    siblings.splice(siblings.indexOf(this), 1);
    this.parentElement = null;
  }

  addEventListener() {}

  removeEventListener() {}

  get className() {
    return [...this.classList].join(" ");
  }

  set className(value) {
    this.classList = new FakeClassList();
    this.classList.add(...String(value).split(/\s+/).filter(Boolean));
  }

  get textContent() {
    return this.ownText + this.children.map((child) => child.textContent).join("");
  }

  set textContent(text) {
    this.setText(text);
  }

  get innerText() {
    return this.textContent;
  }

  get innerHTML() {
    throw new NotImplementedError("reading innerHTML (build elements instead)");
  }

  set innerHTML(_html) {
    throw new Error("innerHTML is not allowed in Obsidian plugins: build elements with createEl");
  }

  set outerHTML(_html) {
    throw new Error("outerHTML is not allowed in Obsidian plugins: build elements with createEl");
  }

  // Test helpers.

  /** Every element below this one, depth first. */
  *descendants() {
    for (const child of this.children) {
      yield child;
      yield* child.descendants();
    }
  }

  /** The first element below this one that has class `cls`, or null. */
  findByClass(cls) {
    for (const element of this.descendants()) if (element.hasClass(cls)) return element;
    return null;
  }

  /** Whether this element and all its ancestors are shown. */
  isVisible() {
    for (let element = this; element; element = element.parentElement)
      if (element.hidden) return false;
    return true;
  }
}

class FakeClassList extends Set {
  add(...classes) {
    for (const cls of classes) super.add(cls);
    return this;
  }

  remove(...classes) {
    for (const cls of classes) super.delete(cls);
  }

  contains(cls) {
    return this.has(cls);
  }

  toggle(cls, force) {
    const on = force === undefined ? !this.has(cls) : Boolean(force);
    if (on) super.add(cls);
    else super.delete(cls);
    return on;
  }
}

/** A DocumentFragment stand-in, for `createFragment()`. */
class FakeFragment extends FakeElement {
  constructor() {
    super("#fragment");
  }
}

function makeElement(tagName, options = {}) {
  return strict(new FakeElement(tagName, options), `HTMLElement <${tagName}>`);
}

function applyOptions(element, options) {
  if (typeof options === "string") options = { cls: options };
  const { cls, text, attr, title, type, value, placeholder, href, parent, prepend, ...rest } =
    options;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new NotImplementedError(`createEl option ${unknown.join(", ")}`);
  if (cls)
    element.classList.add(...(Array.isArray(cls) ? cls : String(cls).split(/\s+/).filter(Boolean)));
  if (text !== undefined) element.ownText = typeof text === "string" ? text : text.textContent;
  if (attr)
    for (const [name, attrValue] of Object.entries(attr))
      element.attributes[name] = String(attrValue);
  if (title !== undefined) element.attributes.title = title;
  if (type !== undefined) element.type = type;
  if (value !== undefined) element.value = value;
  if (placeholder !== undefined) element.placeholder = placeholder;
  if (href !== undefined) element.attributes.href = href;
  if (parent !== undefined || prepend !== undefined)
    throw new NotImplementedError("createEl options parent/prepend");
}

module.exports = { FakeElement, FakeFragment, makeElement };
