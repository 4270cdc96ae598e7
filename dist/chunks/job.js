import os$1 from 'node:os';
import path, { join, basename, isAbsolute, resolve, win32, posix } from 'node:path';
import { a as findSuiteTest, S as SUITE, p as parseDuration, f as formatDuration, i as isProblem, b as byProblemRank, c as findNowPassing, t as truncateUtf8, d as cleanLines, e as truncateLine, u as utf8Length, P as PROBLEM_OUTCOMES, T as TEST_OUTCOMES, G as GitHubArtifactService, w as writeReport, R as RUN_ARTIFACT_PREFIX, r as renderSummary, g as uploadRunArtifact, h as applyKnownIssues, j as REPORT_SCHEMA_VERSION } from './summary.js';
import { U as UserError, e as errorMessage } from './ui.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import m, { openSync, closeSync, readSync, readdirSync, readFileSync, realpathSync, readlinkSync, existsSync, statSync, constants, createReadStream, createWriteStream } from 'node:fs';
import fs$1, { stat, rm, readdir, mkdir, writeFile, link, readFile, access, open as open$1 } from 'node:fs/promises';
import { setTimeout as setTimeout$1 } from 'node:timers/promises';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { StringDecoder } from 'node:string_decoder';
import { E as ENTRY_FOLDER, s as sourceVersion, a as addEntry, t as toolFolder, c as cacheKey, r as rememberToolchainForPost, A as ActionsCacheService, u as useToolCacheRoot, f as findEntry, b as restoreFromCache, d as findAllEntries, e as cacheKeyPrefix } from './post.js';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import require$$1__default, { EventEmitter as EventEmitter$1 } from 'events';
import fs__default from 'fs';
import { EventEmitter } from 'node:events';
import require$$0 from 'node:stream';
import path__default, { parse as parse$1, dirname } from 'path';
import assert from 'assert';
import { Buffer as Buffer$1 } from 'buffer';
import * as Ps from 'zlib';
import Ps__default from 'zlib';
import require$$0$1 from 'node:assert';

var shellQuote = {};

var quote;
var hasRequiredQuote;

function requireQuote () {
	if (hasRequiredQuote) return quote;
	hasRequiredQuote = 1;

	/** @import { ControlOperator } from './parse' */

	/** @type {ControlOperator['op'][]} */
	var OPS = /** @type {const} */ ([
		'||',
		'&&',
		';;&',
		';;',
		';&',
		'|&',
		'<(',
		'>(',
		'<<<',
		'<<-',
		'<<',
		'>>',
		'>&',
		'>|',
		'&>>',
		'&>',
		'<&',
		'<>',
		'&',
		';',
		'(',
		')',
		'|',
		'<',
		'>'
	]);
	var LINE_TERMINATORS = /[\n\r\u2028\u2029]/;
	var GLOB_SHELL_SPECIAL = /[\s#!"$&'():;<=>@\\^`|~]/g;

	/** @type {typeof import('./quote')} */
	quote = function quote(xs) {
		var sawComment = false;
		return xs.map(function (s) {
			if (sawComment && typeof s === 'string' && LINE_TERMINATORS.test(s)) {
				throw new TypeError('a token after a `comment` must not contain line terminators');
			}
			if (s === '') {
				return /** @type {const} */ ('\'\'');
			}
			if (s && typeof s === 'object') {
				if ('op' in s && s.op === 'glob') {
					if (typeof s.pattern !== 'string') {
						throw new TypeError('glob token requires a string `pattern`');
					}
					if (LINE_TERMINATORS.test(s.pattern)) {
						throw new TypeError('glob `pattern` must not contain line terminators');
					}
					if (s.pattern === '') {
						return /** @type {const} */ ('\'\'');
					}
					return s.pattern.replace(GLOB_SHELL_SPECIAL, '\\$&');
				}
				if ('op' in s && typeof s.op === 'string') {
					if (OPS.indexOf(s.op) < 0) {
						throw new TypeError('invalid `op` value: ' + JSON.stringify(s.op));
					}
					return s.op.replace(/[\s\S]/g, '\\$&');
				}
				if ('comment' in s && typeof s.comment === 'string') {
					if (LINE_TERMINATORS.test(s.comment)) {
						throw new TypeError('`comment` must not contain line terminators');
					}
					sawComment = true;
					return '#' + s.comment;
				}
				throw new TypeError('unrecognized object token shape');
			}
			if ((/'/).test(s) && (/!/).test(s)) {
				return "'" + s.replace(/'/g, "'\"'\"'") + "'";
			}
			if ((/["\s\\]/).test(s) && !(/'/).test(s)) {
				return "'" + s + "'";
			}
			if ((/["'\s]/).test(s)) {
				return '"' + s.replace(/(["\\$`])/g, '\\$1') + '"';
			}
			return String(s).replace(/([A-Za-z]:)?([#!"$&'()*,:;<=>?@[\\\]^`{|}~])/g, '$1\\$2');
		}).join(' ');
	};
	return quote;
}

var parse;
var hasRequiredParse;

function requireParse () {
	if (hasRequiredParse) return parse;
	hasRequiredParse = 1;

	/**
	 * @import {
	 * 	ControlOperator,
	 * 	Env,
	 * 	GlobPattern,
	 * 	ParseEntry,
	 * } from './parse' */

	// '<(' and '>(' are process substitution operators and
	// can be parsed the same as control operator
	var CONTROL = /** @type {const} */ ('(?:') + /** @type {const} */ ([
		'\\|\\|',
		'\\&(?:\\&|>>?)', // `&&`, `&>`, and `&>>`
		';;\\&?', // `;;` and `;;&`
		'[;|]\\&', // `;&` and `|&`
		'\\<\\(',
		'\\<\\<\\<',
		'\\<\\<-',
		'\\<\\<(?!\\()', // `<<(` stays `<` and `<(`, as zsh reads it; other shells reject it
		'>>',
		'>[&|(]', // `>&`, `>|`, and `>(`
		'<[&>]', // `<&` and `<>`
		'[&;()|<>]'
	]).join(/** @type {const} */ ('|')) + /** @type {const} */ (')');
	var controlRE = new RegExp('^' + CONTROL + '$');
	var META = /** @type {const} */ ('|&;()<> \\t');
	var SINGLE_QUOTE = /** @type {const} */ ('\'([^\']*?)\'');
	// bash ANSI-C quoting, `$'...'`: a backslash escapes the next character, including `'`
	var ANSI_C_BODY = '(?:\\\\[\\s\\S]|[^\\\\\'])*?';
	var ANSI_C_QUOTE = '\\$\'' + ANSI_C_BODY + '\'';
	var ansiCAt = new RegExp('\\$\'' + ANSI_C_BODY + '(?:(\')|\\\\?$)', 'g');
	var ANSI_C_LETTERS = 'abeEfnrtv';
	var ANSI_C_CHARS = '\x07\b\x1B\x1B\f\n\r\t\v';
	var hash = /^#$/;

	var SQ = /** @type {const} */ ("'");
	var DQ = /** @type {const} */ ('"');
	var DS = /** @type {const} */ ('$');

	var TOKEN = '';
	var mult = /** @type {const} */ (0x100000000); // Math.pow(16, 8);
	for (var i = 0; i < 4; i++) {
		TOKEN += (mult * Math.random()).toString(16);
	}
	var startsWithToken = new RegExp('^' + TOKEN);

	/**
	 * @param {string} s
	 * @param {RegExp} r
	 */
	function matchAll(s, r) {
		var origIndex = r.lastIndex;

		var matches = [];
		var matchObj;

		while ((matchObj = r.exec(s))) {
			matches[matches.length] = matchObj;
			if (r.lastIndex === matchObj.index) {
				r.lastIndex += 1;
			}
		}

		r.lastIndex = origIndex;

		return matches;
	}

	/**
	 * @param {Env} env
	 * @param {string} pre
	 * @param {string} key
	 */
	function getVar(env, pre, key) {
		var r = typeof env === 'function' ? env(key) : env[key];
		if (typeof r === 'undefined' && key != '') {
			r = '';
		} else if (typeof r === 'undefined') {
			r = '$';
		}

		if (typeof r === 'object') {
			return pre + TOKEN + JSON.stringify(r) + TOKEN;
		}
		return pre + r;
	}

	var ansiCEscape = /\\([0-7]{1,3}|x[\dA-Fa-f]{1,2}|u[\dA-Fa-f]{1,4}|U[\dA-Fa-f]{1,8}|c(?:\\\\|[\s\S])|[abeEfnrtv\\'"?])/g;

	/**
	 * @param {string} m
	 * @param {string} escape
	 */
	function expandAnsiCEscape(m, escape) {
		var kind = escape.charAt(0);
		if (kind === 'c') {
			var ctrl = escape.charAt(1);
			return ctrl === '?' ? '\x7F' : String.fromCharCode(ctrl.charCodeAt(0) & 0x1F);
		}
		if (kind === 'x' || kind === 'u' || kind === 'U') {
			var cp = parseInt(escape.slice(1), 16);
			if (cp > 0x10FFFF) {
				return m;
			}
			return String.fromCharCode.apply(null, cp > 0xFFFF ? [0xD7C0 + (cp >> 10), 0xDC00 + (cp & 0x3FF)] : [cp]);
		}
		if (kind >= '0' && kind <= '7') {
			return String.fromCharCode(parseInt(escape, 8) & 0xFF);
		}
		var letter = ANSI_C_LETTERS.indexOf(escape);
		return letter < 0 ? escape : ANSI_C_CHARS.charAt(letter);
	}

	/** @param {string} body */
	function expandAnsiC(body) {
		return body.replace(ansiCEscape, expandAnsiCEscape).split('\0')[0]; // like bash, a NUL ends the string
	}

	/**
	 * @param {string} s
	 * @param {number} i
	 */
	function closesAnsiC(s, i) {
		ansiCAt.lastIndex = i;
		return !!(/** @type {RegExpExecArray} */ (ansiCAt.exec(s)))[1];
	}

	/**
	 * @param {string} string
	 * @param {Env} [env]
	 * @param {{ escape?: string, splitUnquoted?: boolean | string }} [opts]
	 * @returns {ParseEntry[]}
	 */
	function parseInternal(string, env, opts) {
		if (!opts) {
			opts = {};
		}
		var BS = opts.escape || '\\';
		var ifs = opts.splitUnquoted === true ? ' \t\n' : (typeof opts.splitUnquoted === 'string' ? opts.splitUnquoted : '');
		var BAREWORD = '(\\' + BS + '[\'"$\\' + BS + META + ']|\\$\\$|\\$(?!' + ANSI_C_QUOTE.slice(2) + ')|[^\\s\'"$' + META + '])+';
		var DOUBLE_QUOTE = '"(?:\\' + BS + '[\\s\\S]|[^"\\' + BS + '])*"';

		var chunker = new RegExp([
			'(' + CONTROL + ')', // control chars
			'(' + ANSI_C_QUOTE + '|' + BAREWORD + '|' + DOUBLE_QUOTE + '|' + SINGLE_QUOTE + ')+'
		].join('|'), 'g');

		var matches = matchAll(string, chunker);

		if (matches.length === 0) {
			return [];
		}
		if (!env) {
			env = {};
		}

		var commented = false;

		return matches.map(function (match) {
			var s = match[0];
			if (!s || commented) {
				return void undefined;
			}
			if (controlRE.test(s)) {
				return /** @type {ControlOperator} */ ({ op: s });
			}

			// Hand-written scanner/parser for Bash quoting rules:
			//
			// 1. inside single quotes, all characters are printed literally.
			// 2. inside double quotes, all characters are printed literally
			//    except variables prefixed by '$' and backslashes followed by
			//    either a double quote or another backslash.
			// 3. outside of any quotes, backslashes are treated as escape
			//    characters and not printed (unless they are themselves escaped)
			// 4. quote context can switch mid-token if there is no whitespace
			//     between the two quote contexts (e.g. all'one'"token" parses as
			//     "allonetoken")
			/** @type {string | boolean} */
			var quote = false;
			var esc = false;
			var out = '';
			/** @type {string[]} */
			var words = [];
			var sawQuote = false;
			/** @type {number | null} */
			var pendingNw = null;
			var isGlob = false;
			/** @type {number} */
			var i;

			function parseEnvVar() {
				i += 1;
				/** @type {number | RegExpMatchArray | null} */
				var varend;
				/** @type {string} */
				var varname;
				var char = s.charAt(i);

				if (char === '{') {
					i += 1;
					if (s.charAt(i) === '}') {
						throw new Error('Bad substitution: ' + s.slice(i - 2, i + 1));
					}
					// match braces by depth so a nested `${` keeps its inner `}` from ending the outer substitution
					var depth = 1;
					varend = i;
					while (depth > 0 && varend < s.length) {
						if (s.charAt(varend) === '{' && s.charAt(varend - 1) === '$') {
							depth += 1;
						} else if (s.charAt(varend) === '}') {
							depth -= 1;
						}
						varend += 1;
					}
					if (depth !== 0) {
						throw new Error('Bad substitution: ' + s.slice(i));
					}
					varend -= 1;
					varname = s.slice(i, varend);
					i = varend;
				} else if ((/[*@#?$!-]/).test(char)) {
					varname = char;
				} else {
					var slicedFromI = s.slice(i);
					varend = slicedFromI.match(/[^\w\d_]/);
					if (!varend) {
						varname = slicedFromI;
						i = s.length;
					} else {
						varname = slicedFromI.slice(0, varend.index);
						i += /** @type {number} */ (varend.index) - 1;
					}
				}
				return getVar(/** @type {NonNullable<typeof env>} */ (env), '', varname);
			}

			function flushRun() {
				if (pendingNw === null) {
					return;
				}
				if (pendingNw === 0) {
					if (out !== '') {
						words[words.length] = out;
						out = '';
					}
				} else {
					words[words.length] = out;
					out = '';
					for (var fe = 1; fe < pendingNw; fe += 1) {
						words[words.length] = '';
					}
				}
				pendingNw = null;
			}

			for (i = 0; i < s.length; i++) {
				var c = s.charAt(i);
				if (ifs && c !== DS) {
					flushRun();
				}
				isGlob = isGlob || (!quote && (c === '*' || c === '?'));
				if (esc) {
					out += c;
					esc = false;
				} else if (quote) {
					if (c === quote) {
						quote = false;
					} else if (quote == SQ) {
						out += c;
					} else { // Double quote
						if (c === BS) {
							i += 1;
							c = s.charAt(i);
							if (c === DQ || c === BS || c === DS) {
								out += c;
							} else {
								out += BS + c;
							}
						} else if (c === DS) {
							out += parseEnvVar();
						} else {
							out += c;
						}
					}
				} else if (c === DQ || c === SQ) {
					quote = c;
					sawQuote = true;
				} else if (controlRE.test(c)) {
					return /** @type {ControlOperator} */ ({ op: s });
				} else if (hash.test(c)) {
					commented = true;
					var commentObj = { comment: string.slice(match.index + i + 1) };
					if (out.length) {
						return /** @type {const} */ ([out, commentObj]);
					}
					return /** @type {const} */ ([commentObj]);
				} else if (c === BS) {
					esc = true;
				} else if (c === DS && s.charAt(i + 1) === SQ && closesAnsiC(s, i)) {
					flushRun();
					sawQuote = true;
					out += expandAnsiC(s.slice(i + 2, ansiCAt.lastIndex - 1));
					i = ansiCAt.lastIndex - 1;
				} else if (c === DS) {
					var value = parseEnvVar();
					if (!ifs) {
						out += value;
					} else {
						for (var vi = 0; vi < value.length; vi += 1) {
							var vc = value.charAt(vi);
							if (ifs.indexOf(vc) < 0) {
								flushRun();
								out += vc;
							} else if (pendingNw === null) {
								pendingNw = vc === ' ' || vc === '\t' || vc === '\n' ? 0 : 1;
							} else if (vc !== ' ' && vc !== '\t' && vc !== '\n') {
								pendingNw += 1;
							}
						}
					}
				} else {
					out += c;
				}
			}

			if (isGlob) {
				return /** @type {GlobPattern} */ ({ op: 'glob', pattern: out });
			}

			if (ifs) {
				if (pendingNw !== null && pendingNw > 0) {
					words[words.length] = out;
					out = '';
					for (var te = 1; te < pendingNw; te += 1) {
						words[words.length] = '';
					}
				}
				if (out !== '' || (sawQuote && words.length === 0)) {
					words[words.length] = out;
				}
				return words;
			}

			return out;
		}).reduce(function (prev, arg) { // finalize parsed arguments
			if (typeof arg === 'undefined') {
				return prev;
			}
			/** @type {ParseEntry[]} */ ([]).concat(arg).forEach(function (entry) {
				prev[prev.length] = entry;
			});
			return prev;
		}, /** @type {ParseEntry[]} */ ([]));
	}

	/** @type {typeof import('./parse')} */
	parse = function parse(s, env, opts) {
		var mapped = parseInternal(s, env, opts);
		if (typeof env !== 'function') {
			return mapped;
		}
		return mapped.reduce(function (acc, s) {
			if (typeof s === 'object') {
				acc[acc.length] = s;
				return acc;
			}
			var xs = s.split(RegExp('(' + TOKEN + '.*?' + TOKEN + ')', 'g'));
			if (xs.length === 1) {
				acc[acc.length] = xs[0];
				return acc;
			}
			xs.filter(Boolean).forEach(function (x) {
				acc[acc.length] = startsWithToken.test(x)
					? JSON.parse(x.split(TOKEN)[1])
					: x;
			});
			return acc;
		}, /** @type {ParseEntry[]} */ ([]));
	};
	return parse;
}

var hasRequiredShellQuote;

function requireShellQuote () {
	if (hasRequiredShellQuote) return shellQuote;
	hasRequiredShellQuote = 1;

	shellQuote.quote = requireQuote();
	shellQuote.parse = requireParse();
	return shellQuote;
}

var shellQuoteExports = requireShellQuote();

// The architectures rump-cross supports, in one table. Everything that differs
// per target (toolchain names, the qemu-user binary, the NetBSD machine that
// buildrump.sh picks) is read from here and nowhere else.
function vendor(triple) {
    const dash = triple.indexOf('-');
    return `${triple.slice(0, dash)}-unknown${triple.slice(dash)}`;
}
function arch(fields) {
    return { ...fields, vendorTriple: vendor(fields.triple) };
}
// ELF e_machine values from the System V ABI and binutils' include/elf.
const EM_386 = 3;
const EM_MIPS = 8;
const EM_PPC = 20;
const EM_PPC64 = 21;
const EM_S390 = 22;
const EM_ARM = 40;
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const EM_RISCV = 243;
// NetBSD machines follow buildrump.sh's evalmachine, probearm, probeaarch64
// and probemips (rumpkernel/buildrump.sh 6cccd46).
const ARCHES = [
    arch({
        name: 'powerpc',
        aliases: ['ppc', 'powerpc32'],
        triple: 'powerpc-linux-musl',
        qemu: 'ppc',
        netbsdMachine: 'evbppc',
        endianness: 'big',
        bits: 32,
        elfMachine: EM_PPC
    }),
    arch({
        name: 'powerpc64',
        aliases: ['ppc64'],
        triple: 'powerpc64-linux-musl',
        qemu: 'ppc64',
        netbsdMachine: 'evbppc64',
        endianness: 'big',
        bits: 64,
        elfMachine: EM_PPC64
    }),
    arch({
        name: 'powerpc64le',
        aliases: ['ppc64le', 'ppc64el'],
        triple: 'powerpc64le-linux-musl',
        qemu: 'ppc64le',
        netbsdMachine: 'evbppc64',
        endianness: 'little',
        bits: 64,
        elfMachine: EM_PPC64,
        unsupported: 'buildrump.sh maps powerpc64le to the big-endian NetBSD machine evbppc64, so the kernel it builds cannot run on a little-endian target'
    }),
    arch({
        name: 'armhf',
        aliases: ['armv7', 'armv7hf', 'arm-hf', 'armhfp'],
        triple: 'arm-linux-musleabihf',
        qemu: 'arm',
        netbsdMachine: 'evbearmhf-el',
        endianness: 'little',
        bits: 32,
        elfMachine: EM_ARM
    }),
    arch({
        name: 'arm',
        aliases: ['armel', 'armsf', 'arm-sf', 'armv5'],
        triple: 'arm-linux-musleabi',
        qemu: 'arm',
        netbsdMachine: 'evbearm-el',
        endianness: 'little',
        bits: 32,
        elfMachine: EM_ARM
    }),
    arch({
        name: 'aarch64',
        aliases: ['arm64', 'armv8'],
        triple: 'aarch64-linux-musl',
        qemu: 'aarch64',
        netbsdMachine: 'evbarm64-el',
        endianness: 'little',
        bits: 64,
        elfMachine: EM_AARCH64
    }),
    arch({
        name: 'mips',
        aliases: ['mipseb', 'mips32'],
        triple: 'mips-linux-musl',
        qemu: 'mips',
        netbsdMachine: 'evbmips-eb',
        endianness: 'big',
        bits: 32,
        elfMachine: EM_MIPS
    }),
    arch({
        name: 'mipsel',
        aliases: ['mipsle', 'mips32el'],
        triple: 'mipsel-linux-musl',
        qemu: 'mipsel',
        netbsdMachine: 'evbmips-el',
        endianness: 'little',
        bits: 32,
        elfMachine: EM_MIPS
    }),
    arch({
        name: 'mips64',
        aliases: ['mips64eb'],
        triple: 'mips64-linux-musl',
        qemu: 'mips64',
        netbsdMachine: 'evbmips64-eb',
        endianness: 'big',
        bits: 64,
        elfMachine: EM_MIPS
    }),
    arch({
        name: 'mips64el',
        aliases: ['mips64le'],
        triple: 'mips64el-linux-musl',
        qemu: 'mips64el',
        netbsdMachine: 'evbmips64-el',
        endianness: 'little',
        bits: 64,
        elfMachine: EM_MIPS
    }),
    arch({
        name: 'i686',
        aliases: ['i386', 'i486', 'i586', 'x86', 'ia32'],
        triple: 'i686-linux-musl',
        qemu: 'i386',
        netbsdMachine: 'i386',
        endianness: 'little',
        bits: 32,
        elfMachine: EM_386
    }),
    arch({
        name: 'x86_64',
        aliases: ['amd64', 'x64', 'x86-64'],
        triple: 'x86_64-linux-musl',
        qemu: 'x86_64',
        netbsdMachine: 'amd64',
        endianness: 'little',
        bits: 64,
        elfMachine: EM_X86_64
    }),
    arch({
        name: 'riscv64',
        aliases: ['riscv', 'rv64', 'rv64gc'],
        triple: 'riscv64-linux-musl',
        qemu: 'riscv64',
        netbsdMachine: 'riscv',
        endianness: 'little',
        bits: 64,
        elfMachine: EM_RISCV
    }),
    arch({
        name: 's390x',
        aliases: ['s390', 'systemz'],
        triple: 's390x-linux-musl',
        qemu: 's390x',
        netbsdMachine: '',
        endianness: 'big',
        bits: 64,
        elfMachine: EM_S390,
        unsupported: 'NetBSD has no s390x port, so buildrump.sh stops with "script does not know machine"'
    })
];
/** Returns the supported names, for messages and help text. */
function supportedArchNames() {
    return ARCHES.filter(a => a.unsupported === undefined).map(a => a.name);
}
/**
 * Looks up a target by name, alias or triple (either spelling, any case).
 * Returns undefined when nothing matches; an unsupported entry is returned
 * so that the caller can say why it cannot be built.
 */
function findArch(value) {
    const key = value.trim().toLowerCase();
    if (key === '')
        return undefined;
    return ARCHES.find(a => a.name === key ||
        a.aliases.includes(key) ||
        a.triple === key ||
        a.vendorTriple === key);
}

// Just enough ELF reading to tell which machine a program is built for,
// whether it needs a dynamic loader, and which program a core file came from
// (System V gABI: "ELF Header", "Program Header" and "Note Section").
const ET_CORE = 4;
const PT_INTERP = 3;
const PT_NOTE = 4;
/** Longest PT_INTERP path read; loaders' paths are far shorter. */
const MAX_INTERPRETER_BYTES = 4096;
const NT_PRPSINFO = 3;
/** ELF_PRARGSZ in the Linux uapi: pr_psargs is the last field of prpsinfo. */
const PRPSINFO_ARGS_SIZE = 80;
/** pr_fname, the 16-byte command name, comes right before pr_psargs. */
const PRPSINFO_NAME_SIZE = 16;
/** Upper bound on the note bytes read; NT_PRPSINFO is the second note. */
const MAX_NOTE_BYTES = 256 * 1024;
function readAt(fd, position, length) {
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, position);
    return buffer.subarray(0, read);
}
function withFile(path, fn) {
    let fd;
    try {
        fd = openSync(path, 'r');
    }
    catch {
        return undefined;
    }
    try {
        return fn(fd);
    }
    catch {
        return undefined;
    }
    finally {
        closeSync(fd);
    }
}
function parseHeader(bytes) {
    if (bytes.length < 52)
        return undefined;
    if (bytes.readUInt32BE(0) !== 0x7f454c46)
        return undefined;
    // EI_CLASS is 1 for 32-bit and 2 for 64-bit, EI_DATA 1 for little and 2
    // for big endian.
    if (![1, 2].includes(bytes[4]) || ![1, 2].includes(bytes[5]))
        return undefined;
    const bits = bytes[4] === 2 ? 64 : 32;
    const littleEndian = bytes[5] === 1;
    if (bits === 64 && bytes.length < 64)
        return undefined;
    const u16 = (at) => littleEndian ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at);
    const u32 = (at) => littleEndian ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at);
    const u64 = (at) => Number(littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at));
    return {
        bits,
        littleEndian,
        type: u16(16),
        machine: u16(18),
        programHeaderOffset: bits === 64 ? u64(32) : u32(28),
        programHeaderSize: u16(bits === 64 ? 54 : 42),
        programHeaderCount: u16(bits === 64 ? 56 : 44)
    };
}
/** Reads the ELF header of a file; undefined when it is not ELF. */
function readElfHeader(path) {
    return withFile(path, fd => parseHeader(readAt(fd, 0, 64)));
}
/** Returns the file offset and size of each segment of the given type. */
function segments(fd, header, segmentType) {
    const table = readAt(fd, header.programHeaderOffset, header.programHeaderSize * header.programHeaderCount);
    const le = header.littleEndian;
    const segments = [];
    for (let i = 0; i < header.programHeaderCount; i++) {
        const at = i * header.programHeaderSize;
        if (at + header.programHeaderSize > table.length)
            break;
        const type = le ? table.readUInt32LE(at) : table.readUInt32BE(at);
        if (type !== segmentType)
            continue;
        if (header.bits === 64) {
            const offset = le
                ? table.readBigUInt64LE(at + 8)
                : table.readBigUInt64BE(at + 8);
            const size = le
                ? table.readBigUInt64LE(at + 32)
                : table.readBigUInt64BE(at + 32);
            segments.push([Number(offset), Number(size)]);
        }
        else {
            const offset = le
                ? table.readUInt32LE(at + 4)
                : table.readUInt32BE(at + 4);
            const size = le
                ? table.readUInt32LE(at + 16)
                : table.readUInt32BE(at + 16);
            segments.push([offset, size]);
        }
    }
    return segments;
}
function cString(bytes) {
    const end = bytes.indexOf(0);
    return bytes.subarray(0, end === -1 ? bytes.length : end).toString('latin1');
}
function findPrpsinfo(notes, littleEndian) {
    const u32 = (at) => littleEndian ? notes.readUInt32LE(at) : notes.readUInt32BE(at);
    const align4 = (n) => (n + 3) & -4;
    let at = 0;
    while (at + 12 <= notes.length) {
        const nameSize = u32(at);
        const descSize = u32(at + 4);
        const type = u32(at + 8);
        const descStart = at + 12 + align4(nameSize);
        const descEnd = descStart + descSize;
        if (descEnd > notes.length)
            return undefined;
        if (type === NT_PRPSINFO &&
            descSize >= PRPSINFO_ARGS_SIZE + PRPSINFO_NAME_SIZE) {
            const argsStart = descEnd - PRPSINFO_ARGS_SIZE;
            return {
                name: cString(notes.subarray(argsStart - PRPSINFO_NAME_SIZE, argsStart)),
                args: cString(notes.subarray(argsStart, descEnd)).trim()
            };
        }
        at = descStart + align4(descSize);
    }
    return undefined;
}
/**
 * Reads the process name and arguments from a core file's NT_PRPSINFO
 * note. Returns undefined for files that are not ELF core files or that
 * lack the note.
 */
function readCoreCommand(path) {
    return withFile(path, fd => {
        const header = parseHeader(readAt(fd, 0, 64));
        if (header?.type !== ET_CORE)
            return undefined;
        for (const [offset, size] of segments(fd, header, PT_NOTE)) {
            const notes = readAt(fd, offset, Math.min(size, MAX_NOTE_BYTES));
            const command = findPrpsinfo(notes, header.littleEndian);
            if (command)
                return command;
        }
        return undefined;
    });
}
/**
 * Reads the PT_INTERP path of an ELF program. Returns undefined for a
 * statically linked program and for a file that is not ELF.
 */
function readInterpreter(path) {
    return withFile(path, fd => {
        const header = parseHeader(readAt(fd, 0, 64));
        if (header === undefined)
            return undefined;
        const [interp] = segments(fd, header, PT_INTERP);
        if (interp === undefined)
            return undefined;
        const [offset, size] = interp;
        return cString(readAt(fd, offset, Math.min(size, MAX_INTERPRETER_BYTES)));
    });
}

// Reads the process table from procfs. Every read tolerates the process
// exiting in between: a vanished process is skipped, never an error.
/** Environment variable that marks every process of one run. */
const RUN_ID_VARIABLE = 'RUMP_CROSS_RUN_ID';
/** USER_HZ: the unit of starttime in /proc/<pid>/stat on Linux. */
const CLOCK_TICKS_PER_SECOND = 100;
function procRootOf(options) {
    return options?.procRoot ?? '/proc';
}
function readText$1(path) {
    try {
        return readFileSync(path, 'latin1');
    }
    catch {
        return undefined;
    }
}
function readLink(path) {
    try {
        return readlinkSync(path);
    }
    catch {
        return undefined;
    }
}
/** Parses /proc/<pid>/stat; comm may contain spaces and parentheses. */
function parseStat(text) {
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    if (open < 0 || close < open)
        return undefined;
    const pid = Number(text.slice(0, open).trim());
    // Fields after comm start at field 3 (state), so index i is field i + 3.
    const fields = text
        .slice(close + 2)
        .trim()
        .split(/\s+/);
    if (!Number.isInteger(pid) || fields.length < 20)
        return undefined;
    return {
        pid,
        comm: text.slice(open + 1, close),
        state: fields[0],
        ppid: Number(fields[1]),
        pgid: Number(fields[2]),
        sid: Number(fields[3]),
        startTicks: Number(fields[19])
    };
}
/** Reads one process; undefined when it does not exist (any more). */
function readProcess(pid, options) {
    const text = readText$1(join(procRootOf(options), String(pid), 'stat'));
    return text === undefined ? undefined : parseStat(text);
}
/** Lists every process in the proc root, in pid order. */
function listProcesses(options) {
    let names;
    try {
        names = readdirSync(procRootOf(options));
    }
    catch {
        return [];
    }
    const processes = [];
    for (const name of names) {
        if (!/^\d+$/.test(name))
            continue;
        const info = readProcess(Number(name), options);
        if (info)
            processes.push(info);
    }
    return processes.sort((a, b) => a.pid - b.pid);
}
/**
 * Lists the processes below rootPid in the parent tree, without rootPid.
 * Daemons re-parented to init or a subreaper are not below it any more;
 * runProcesses also finds those.
 */
function descendants(rootPid, options, table = listProcesses(options)) {
    const children = new Map();
    for (const info of table) {
        const siblings = children.get(info.ppid) ?? [];
        siblings.push(info);
        children.set(info.ppid, siblings);
    }
    const found = [];
    const queue = [rootPid];
    const seen = new Set(queue);
    while (queue.length > 0) {
        for (const child of children.get(queue.shift()) ?? []) {
            if (seen.has(child.pid))
                continue;
            seen.add(child.pid);
            found.push(child);
            queue.push(child.pid);
        }
    }
    return found;
}
/** Tells whether /proc/<pid>/environ contains `RUMP_CROSS_RUN_ID=<runId>`. */
function hasRunMarker(pid, runId, options) {
    const environ = readText$1(join(procRootOf(options), String(pid), 'environ'));
    if (environ === undefined)
        return false;
    return environ.split('\0').includes(`${RUN_ID_VARIABLE}=${runId}`);
}
/** Returns this process and its ancestors, which must never be signalled. */
function selfAndAncestors(options) {
    const protectedPids = new Set([0, 1]);
    let pid = process.pid;
    while (pid > 1 && !protectedPids.has(pid)) {
        protectedPids.add(pid);
        pid = readProcess(pid, options)?.ppid ?? 0;
    }
    return protectedPids;
}
/** Tells whether a process has exited; zombies count as exited. */
function isGone(info, options) {
    const now = readProcess(info.pid, options);
    return (now === undefined ||
        now.startTicks !== info.startTicks ||
        now.state === 'Z' ||
        now.state === 'X');
}
/**
 * Lists every live process of a run: rootPid, its descendants, the members
 * of the process group and session that rootPid leads, and, when runId is
 * given, every process whose environment carries the run marker. The
 * caller and its ancestors are never included, and neither are zombies.
 */
function runProcesses(rootPid, runId, options) {
    const table = listProcesses(options);
    const excluded = selfAndAncestors(options);
    const members = new Map();
    const add = (info) => {
        if (excluded.has(info.pid) || info.state === 'Z')
            return;
        members.set(info.pid, info);
    };
    for (const info of table) {
        if (info.pid === rootPid || info.pgid === rootPid || info.sid === rootPid)
            add(info);
    }
    for (const info of descendants(rootPid, options, table))
        add(info);
    if (runId !== undefined) {
        for (const info of table) {
            if (!members.has(info.pid) && hasRunMarker(info.pid, runId, options))
                add(info);
        }
    }
    return [...members.values()].sort((a, b) => a.pid - b.pid);
}
/**
 * Returns the paths a process of the target's qemu-user can have as
 * /proc/<pid>/exe: the binfmt_misc interpreter, resolved, plus the file
 * names qemu-<q>, qemu-<q>-static and <q>-binfmt-P anywhere.
 */
function qemuExecutables(arch, options) {
    const names = new Set([
        `qemu-${arch.qemu}`,
        `qemu-${arch.qemu}-static`,
        `${arch.qemu}-binfmt-P`
    ]);
    const paths = new Set();
    const entry = readText$1(join(procRootOf(options), 'sys/fs/binfmt_misc', `qemu-${arch.qemu}`));
    const interpreter = /^interpreter (.+)$/m.exec(entry ?? '')?.[1];
    if (interpreter) {
        paths.add(interpreter);
        try {
            paths.add(realpathSync(interpreter));
        }
        catch {
            // A missing interpreter cannot be running, so the raw path is enough.
        }
    }
    return { names, paths };
}
/** Strips the ` (deleted)` suffix that procfs adds for replaced files. */
function livePath(path) {
    return path.replace(/ \(deleted\)$/, '');
}
function mappedFiles(pid, options) {
    const maps = readText$1(join(procRootOf(options), String(pid), 'maps'));
    const files = [];
    for (const line of (maps ?? '').split('\n')) {
        const path = /^\S+ \S+ \S+ \S+ \d+\s+(\/.*)$/.exec(line)?.[1];
        if (path && !files.includes(livePath(path)))
            files.push(livePath(path));
    }
    return files;
}
function canonical(path) {
    try {
        return realpathSync(path);
    }
    catch {
        return path;
    }
}
/**
 * Finds the guest program of a qemu process. The first command-line word
 * that names a file qemu has mapped wins. Before qemu has mapped the
 * program, the first word naming an ELF file of the target machine wins.
 * A daemon that changed directory no longer resolves a relative word, so
 * next comes the first mapped ELF file of the target machine, and last the
 * word after qemu itself.
 */
function guestProgram(pid, exe, cmdline, cwd, arch, options) {
    const mapped = mappedFiles(pid, options).filter(path => path !== exe);
    const isTargetElf = (path) => readElfHeader(path)?.machine === arch.elfMachine;
    const candidates = cmdline.slice(1).flatMap(word => {
        if (isAbsolute(word))
            return [word];
        return cwd === undefined ? [] : [resolve(cwd, word)];
    });
    const named = candidates.find(path => mapped.includes(path) || mapped.includes(canonical(path)));
    if (named !== undefined)
        return canonical(named);
    const onDisk = candidates.find(isTargetElf);
    if (onDisk !== undefined)
        return canonical(onDisk);
    const image = mapped.find(isTargetElf);
    if (image !== undefined)
        return image;
    return cmdline[1] ?? '';
}
/** Reads exe, cmdline and cwd of a process that runs under the qemu given. */
function readEmulatedProcess(info, arch, options, qemu = qemuExecutables(arch, options)) {
    const dir = join(procRootOf(options), String(info.pid));
    const link = readLink(join(dir, 'exe'));
    if (link === undefined)
        return undefined;
    const exe = livePath(link);
    if (!qemu.names.has(basename(exe)) && !qemu.paths.has(exe))
        return undefined;
    const raw = readText$1(join(dir, 'cmdline'));
    if (raw === undefined)
        return undefined;
    const cmdline = raw.split('\0');
    if (cmdline.at(-1) === '')
        cmdline.pop();
    const cwdLink = readLink(join(dir, 'cwd'));
    const cwd = cwdLink === undefined ? undefined : livePath(cwdLink);
    const program = guestProgram(info.pid, exe, cmdline, cwd, arch, options);
    return { ...info, exe, program, cmdline, cwd };
}
/**
 * Lists rootPid and its descendants that run a guest program under the
 * target's qemu-user, and, when runId is given, every other live process
 * of the run (group, session, marker) that does.
 */
function emulatedProcesses(rootPid, arch, options) {
    const qemu = qemuExecutables(arch, options);
    const root = readProcess(rootPid, options);
    const candidates = options?.runId === undefined
        ? [...(root ? [root] : []), ...descendants(rootPid, options)].filter(p => p.state !== 'Z')
        : runProcesses(rootPid, options.runId, options);
    const found = [];
    for (const info of candidates) {
        const emulated = readEmulatedProcess(info, arch, options, qemu);
        if (emulated)
            found.push(emulated);
    }
    return found;
}
/** Reads the time since boot, in milliseconds, from /proc/uptime. */
function readUptimeMs(options) {
    const text = readText$1(join(procRootOf(options), 'uptime'));
    const seconds = Number(text?.split(' ')[0]);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}
/** Converts a process start time to milliseconds after boot. */
function startTimeMs(info) {
    return (info.startTicks * 1000) / CLOCK_TICKS_PER_SECOND;
}

// The buildrump.sh command line and environment of the recipe that works
// with today's compilers (verified with buildrump.sh 6cccd46, gcc 12):
//  - CFLAGS, AFLAGS and LDFLAGS in the environment make it stop at once, so
//    they are removed and flags go in through -F;
//  - NetBSD make variables are upper case (`-V MKPIC=no`);
//  - gcc >= 10 needs -fcommon for the host tools (HOST_CFLAGS, read by
//    NetBSD's build.sh) and for target code;
//  - gcc 12 turns warnings in librumpuser into errors without NOGCCERROR;
//  - gcc >= 14 rejects implicit function declarations unless
//    -Wno-error=implicit-function-declaration is given.
/** Variables buildrump.sh rejects when set in its environment. */
const REJECTED_ENV = ['CFLAGS', 'AFLAGS', 'LDFLAGS'];
const HOST_CFLAGS = '-O -fcommon -Wno-error=implicit-function-declaration';
const RECIPE_ARGS = [
    '-F',
    'LDFLAGS=-static',
    '-V',
    'MKPIC=no',
    '-V',
    'NOGCCERROR=1',
    '-F',
    'CFLAGS=-fcommon',
    '-F',
    'CFLAGS=-Wno-error=implicit-function-declaration'
];
/** buildrump.sh options that take a value (its getopts string). */
const OPTIONS_WITH_VALUE = new Set(['d', 'j', 'o', 's', 'T', 'V', 'F']);
const OPTIONS_WITHOUT_VALUE = new Set(['D', 'H', 'k', 'q', 'r']);
/** Options the run sets itself; a user value would break its bookkeeping. */
const OPTIONS_OWNED = new Set(['s', 'o', 'd']);
/** The order in which buildrump.sh runs its commands, whatever the order given. */
const COMMAND_ORDER = [
    'checkout',
    'checkoutgit',
    'checkoutcvs',
    'probe',
    'tools',
    'build',
    'kernelheaders',
    'install',
    'tests'
];
/**
 * Expands `fullbuild` into the commands it stands for and puts them in the
 * order buildrump.sh itself uses, so that each one runs as its own
 * invocation with its own log group, duration and exit status.
 */
function expandCommands(commands) {
    const phases = new Set();
    for (const command of commands) {
        if (command === 'fullbuild') {
            for (const phase of ['tools', 'build', 'install'])
                phases.add(phase);
        }
        else {
            phases.add(command);
        }
    }
    if (phases.has('probe') && phases.size > 1) {
        throw new UserError(`Input commands "${commands.join(' ')}" combines probe with other commands, which buildrump.sh rejects. Run probe alone.`);
    }
    return COMMAND_ORDER.filter(command => phases.has(command));
}
/**
 * Checks user arguments against buildrump.sh's getopts string, so that a
 * typo fails before a long build instead of printing its usage text.
 */
function checkUserArgs(args) {
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        const argsText = args.join(' ');
        if (!arg.startsWith('-') || arg === '-' || arg.length < 2) {
            throw new UserError(`Input args "${argsText}" contains "${arg}", which is not a buildrump.sh option. Put buildrump.sh commands in the commands input and options such as "-V KEY=VALUE" or "-F CFLAGS=-O2" in args.`);
        }
        const letters = arg.slice(1);
        for (let j = 0; j < letters.length; j++) {
            const letter = letters[j];
            if (OPTIONS_OWNED.has(letter)) {
                throw new UserError(`Input args "${argsText}" sets -${letter}, which rump-cross sets itself. Use the src-path input for -s; the object (-o) and install (-d) folders are kept under RUNNER_TEMP so that socket paths stay short.`);
            }
            if (OPTIONS_WITH_VALUE.has(letter)) {
                // The value is the rest of this word or the next word.
                if (j === letters.length - 1) {
                    if (i + 1 >= args.length) {
                        throw new UserError(`Input args "${argsText}" ends with -${letter}, which needs a value. Add it, for example "-${letter} VALUE".`);
                    }
                    i++;
                }
                break;
            }
            if (!OPTIONS_WITHOUT_VALUE.has(letter)) {
                throw new UserError(`Input args "${argsText}" contains the unknown buildrump.sh option -${letter}. Known options: -D -H -k -q -r and -d -j -o -s -T -V -F with a value.`);
            }
        }
    }
}
/** Builds the argument list for one buildrump.sh invocation. */
function buildrumpArgs(dirs, jobs, userArgs, command) {
    return [
        '-s',
        dirs.src,
        '-o',
        dirs.obj,
        '-d',
        dirs.dest,
        '-j',
        String(jobs),
        '-qq',
        ...RECIPE_ARGS,
        // User arguments come after the recipe so that they win where
        // buildrump.sh keeps the last value.
        ...userArgs,
        command
    ];
}
/**
 * Builds the environment of buildrump.sh: the base environment without the
 * variables it rejects, with the toolchain's tools and the host flags.
 */
function buildrumpEnv(base, tools, toolchainBin, runId) {
    const env = { ...base };
    const removed = [];
    for (const name of REJECTED_ENV) {
        if (env[name] !== undefined) {
            if (env[name] !== '')
                removed.push(name);
            delete env[name];
        }
    }
    const userHostFlags = base.HOST_CFLAGS?.trim();
    env.HOST_CFLAGS = userHostFlags
        ? `${HOST_CFLAGS} ${userHostFlags}`
        : HOST_CFLAGS;
    Object.assign(env, tools);
    // An empty entry would put the current folder on PATH.
    env.PATH = base.PATH
        ? `${toolchainBin}${path.delimiter}${base.PATH}`
        : toolchainBin;
    // Marks every process of the run, daemons included, so that the watchdog
    // and the cleanup can find them after they leave the process group.
    env[RUN_ID_VARIABLE] = runId;
    return { env, removed };
}
/** Returns the folder of one architecture's work files under `tempRoot`. */
function archFolder(tempRoot, archName) {
    return path.join(tempRoot, 'rump-cross', archName);
}
/**
 * Returns the object and install folders of one architecture. They stay
 * short because the network tests bind unix sockets below them, and a
 * socket path is limited to 108 bytes.
 */
function workFolders(archDir, srcPath) {
    return {
        src: srcPath,
        obj: path.join(archDir, 'obj'),
        dest: path.join(archDir, 'dest')
    };
}
/** Maximum object folder length that leaves room for the socket paths. */
const MAX_OBJ_PATH = 60;

// Every input of action.yml, read and validated in one place. The CLI reads
// the same table through its flags, so both paths share names and checks.
const INPUTS = {
    arch: {
        description: 'Target architecture: a name (powerpc, armhf, aarch64, mips, ...), an alias (ppc, arm64, amd64, ...) or a musl triple.',
        required: true,
        default: ''
    },
    'toolchain-url': {
        description: 'URL templates of musl cross toolchain archives, one per line, tried in order; {triple} is replaced. Empty uses the built-in pinned list.',
        default: ''
    },
    'toolchain-sha256': {
        description: 'Expected sha256 of the toolchain archive. Empty uses the pinned or published checksum.',
        default: ''
    },
    'toolchain-path': {
        description: 'Folder of an installed musl cross toolchain (with bin/<triple>-gcc). Skips the download.',
        default: ''
    },
    'buildrump-path': {
        description: 'Folder holding buildrump.sh. When it has none, upstream is cloned at buildrump-ref.',
        default: '.'
    },
    'buildrump-ref': {
        description: 'Upstream buildrump.sh commit or tag to clone.',
        default: '6cccd464a9675ce19eaca569b1c9c2837492038c'
    },
    'src-path': {
        description: 'NetBSD sources. Empty means <buildrump-path>/src, fetched with "buildrump.sh checkout" when missing.',
        default: ''
    },
    commands: {
        description: 'buildrump.sh commands to run.',
        default: 'fullbuild tests'
    },
    args: {
        description: 'Extra buildrump.sh arguments, split like a shell command line but never run by a shell.',
        default: ''
    },
    jobs: {
        description: 'make parallelism (-j). Empty uses the number of cores.',
        default: ''
    },
    'test-timeout': {
        description: 'A test that prints nothing for this long is hung (90s, 5m, 2h; a bare number is seconds).',
        default: '5m'
    },
    timeout: {
        description: 'Limit for the whole run; 0 means none.',
        default: '0'
    },
    'known-issues': {
        description: 'Results expected on this architecture, one "<test>: <hang|fail|crash>" per line.',
        default: ''
    },
    backtraces: {
        description: 'Collect guest cores and gdb-multiarch backtraces for hung and crashed tests.',
        default: 'true'
    },
    cache: {
        description: 'Save and restore the toolchain with the GitHub cache.',
        default: 'true'
    },
    'upload-logs': {
        description: 'Upload logs, reports and guest cores as the artifact rump-cross-<arch>.',
        default: 'true'
    }
};
const KNOWN_COMMANDS = new Set([
    'checkout',
    'checkoutgit',
    'checkoutcvs',
    'probe',
    'tools',
    'build',
    'kernelheaders',
    'install',
    'tests',
    'fullbuild'
]);
const SHA256 = /^[0-9a-f]{64}$/i;
const MAX_DURATION_MS = 2 ** 31 - 1;
function fail(name, value, problem, fix) {
    throw new UserError(`Input ${name} "${value}" ${problem}. ${fix}`);
}
function readText(read, name) {
    const value = read(name).trim();
    return value === '' ? INPUTS[name].default : value;
}
function readLines(read, name) {
    return readText(read, name)
        .split(/\r?\n/)
        .map(line => line.trim())
        .filter(line => line !== '' && !line.startsWith('#'));
}
function readBoolean(read, name) {
    const value = readText(read, name);
    // The same spellings as core.getBooleanInput (YAML 1.2 core schema).
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    return fail(name, value, 'is not a boolean', 'Use true or false.');
}
function readArch(read) {
    const value = read('arch').trim();
    const supported = supportedArchNames().join(', ');
    if (value === '') {
        throw new UserError(`Input arch is required. Set it to one of: ${supported}.`);
    }
    const arch = findArch(value);
    if (!arch) {
        return fail('arch', value, 'is not a known architecture', `Use one of: ${supported} (an alias or a musl triple such as powerpc-linux-musl works too).`);
    }
    if (arch.unsupported) {
        return fail('arch', value, `cannot be built: ${arch.unsupported}`, `Use one of: ${supported}.`);
    }
    return arch;
}
function readUrls(read) {
    const urls = readLines(read, 'toolchain-url');
    for (const url of urls) {
        // Credentials stay out of the log, even in a URL that does not parse.
        const maskedUrl = url.replace(/\/\/[^/@\s]*@/, '//***@');
        let parsed;
        try {
            parsed = new URL(url.replace(/\{[a-z-]+\}/g, 'x'));
        }
        catch {
            return fail('toolchain-url', maskedUrl, 'is not a URL', 'Give one absolute http://, https:// or file:// URL template per line, such as https://example.org/{triple}-cross.tgz.');
        }
        if (!['http:', 'https:', 'file:'].includes(parsed.protocol)) {
            fail('toolchain-url', maskedUrl, `uses the unsupported scheme ${parsed.protocol}`, 'Use http://, https:// or file://.');
        }
    }
    return urls;
}
function readSha256(read) {
    const value = read('toolchain-sha256').trim();
    if (value === '')
        return undefined;
    if (!SHA256.test(value)) {
        fail('toolchain-sha256', value, 'is not a sha256 digest', 'Give the 64 hexadecimal digits printed by sha256sum.');
    }
    return value.toLowerCase();
}
function readCommands(read) {
    const value = readText(read, 'commands');
    const commands = value.split(/\s+/).filter(Boolean);
    for (const command of commands) {
        if (!KNOWN_COMMANDS.has(command)) {
            fail('commands', value, `contains the unknown buildrump.sh command "${command}"`, `Use commands from: ${[...KNOWN_COMMANDS].join(', ')}.`);
        }
    }
    if (commands.length === 0) {
        fail('commands', value, 'is empty', 'Use for example "fullbuild tests".');
    }
    return commands;
}
/** Splits `args` like a shell does, rejecting anything a shell would run. */
function splitArgs(value) {
    const words = [];
    // A function as env makes shell-quote keep `$X` as text instead of
    // expanding it; the marker is then rejected below.
    const marker = '\u0000variable\u0000';
    // shell-quote starts a comment at any #, but sh only at the start of a
    // word, so a # inside a word is hidden from it and put back below.
    const hash = '\u0000hash\u0000';
    const hidden = value.replace(/(?<=\S)#/g, hash);
    for (const parsed of shellQuoteExports.parse(hidden, () => marker)) {
        const entry = typeof parsed === 'string' ? parsed.replaceAll(hash, '#') : parsed;
        if (typeof entry === 'string') {
            // shell-quote keeps backticks as text; a shell would run them.
            if (entry.includes(marker) || entry.includes('`')) {
                fail('args', value, 'contains a $ variable or command substitution', 'Write the value itself; args are passed to buildrump.sh without a shell.');
            }
            words.push(entry);
            continue;
        }
        const syntax = 'pattern' in entry
            ? entry.pattern
            : 'op' in entry
                ? entry.op
                : 'comment' in entry
                    ? '#'
                    : '?';
        fail('args', value, `contains the shell syntax "${syntax}"`, 'Quote it if it is meant literally; args are passed to buildrump.sh without a shell, so pipes, redirections, globs and command lists cannot work.');
    }
    return words;
}
function readArgs(read) {
    const args = splitArgs(read('args'));
    checkUserArgs(args);
    return args;
}
function readJobs(read) {
    const value = read('jobs').trim();
    if (value === '')
        return Math.max(1, os$1.availableParallelism());
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 1024) {
        fail('jobs', value, 'is not a whole number from 1 to 1024', 'Leave it empty to use the number of cores.');
    }
    return Number(value);
}
function readDuration(read, name) {
    const value = readText(read, name);
    const ms = parseDuration(value);
    if (ms === undefined) {
        return fail(name, value, 'is not a duration', 'Write a number with s, m or h, such as 90s, 5m or 2h.');
    }
    // setTimeout fires at once for delays past 2^31 - 1 ms (about 24 days).
    if (ms > MAX_DURATION_MS) {
        fail(name, value, 'is longer than 24 days', 'Use a shorter duration, such as 6h.');
    }
    if (name === 'test-timeout' && ms < 1000) {
        fail(name, value, 'is shorter than one second', 'Use at least 1s; the default is 5m.');
    }
    return ms;
}
const KNOWN_ISSUE_KINDS = {
    hang: 'hang',
    hung: 'hang',
    fail: 'fail',
    failed: 'fail',
    crash: 'crash',
    crashed: 'crash'
};
function readKnownIssues(read) {
    return readLines(read, 'known-issues').map(line => {
        const match = /^(.+?)\s*:\s*([a-z]+)$/i.exec(line);
        const kind = match ? KNOWN_ISSUE_KINDS[match[2].toLowerCase()] : undefined;
        if (!match || !kind) {
            return fail('known-issues', line, 'is not of the form "<test>: <hang|fail|crash>"', 'Write one line per expected result, such as "nettest_routed: hang".');
        }
        const test = match[1].trim();
        if (!findSuiteTest(test)) {
            fail('known-issues', line, `names the unknown test "${test}"`, `Use a test id (${SUITE.map(t => t.id).join(', ')}) or the title the suite prints.`);
        }
        return { test, kind };
    });
}
/** Reads and validates every input; throws UserError on the first bad one. */
function readInputs(read, cwd = process.cwd()) {
    const arch = readArch(read);
    const toolchainUrls = readUrls(read);
    const toolchainSha256 = readSha256(read);
    const toolchainPathText = read('toolchain-path').trim();
    const buildrumpPath = path.resolve(cwd, readText(read, 'buildrump-path'));
    const srcPathText = read('src-path').trim();
    return {
        arch,
        toolchainUrls,
        toolchainSha256,
        toolchainPath: toolchainPathText
            ? path.resolve(cwd, toolchainPathText)
            : undefined,
        buildrumpPath,
        buildrumpRef: readText(read, 'buildrump-ref'),
        srcPath: srcPathText ? path.resolve(cwd, srcPathText) : undefined,
        commands: readCommands(read),
        args: readArgs(read),
        jobs: readJobs(read),
        testTimeoutMs: readDuration(read, 'test-timeout'),
        timeoutMs: readDuration(read, 'timeout'),
        knownIssues: readKnownIssues(read),
        backtraces: readBoolean(read, 'backtraces'),
        cache: readBoolean(read, 'cache'),
        uploadLogs: readBoolean(read, 'upload-logs')
    };
}

// Ends a whole run: the process tree, the process group and session that
// the run's root leads, and daemons that left both but carry the run marker.
/** Rounds of stop-and-rescan before a fork-looping tree is taken as is. */
const MAX_FREEZE_ROUNDS = 10;
/** Time granted to SIGKILL, which cannot be caught, to take effect. */
const KILL_WAIT_MS$1 = 2000;
/**
 * Sends a signal to one process. Returns false when the process does not
 * exist or may not be signalled, instead of throwing.
 */
function sendSignal(pid, signal) {
    try {
        process.kill(pid, signal);
        return true;
    }
    catch {
        return false;
    }
}
/** Waits until every process has exited or timeoutMs passed; returns the rest. */
async function waitForExit(processes, timeoutMs, options = {}) {
    const deadline = Date.now() + timeoutMs;
    let alive = processes.filter(p => !isGone(p, options));
    while (alive.length > 0 && Date.now() < deadline) {
        await setTimeout$1(Math.min(options.pollMs ?? 50, Math.max(1, deadline - Date.now())));
        alive = alive.filter(p => !isGone(p, options));
    }
    return alive;
}
/**
 * Signals the process group rootPid leads, unless the caller or one of its
 * ancestors belongs to that group. With a run id, the group must also have
 * a marked member, so that a group id reused after the run is left alone.
 */
function signalGroup(rootPid, signal, options) {
    if (rootPid <= 1)
        return;
    for (const pid of selfAndAncestors(options)) {
        if (readProcess(pid, options)?.pgid === rootPid)
            return;
    }
    const { runId } = options;
    if (runId !== undefined) {
        const members = listProcesses(options).filter(p => p.pgid === rootPid);
        if (!members.some(p => hasRunMarker(p.pid, runId, options)))
            return;
    }
    sendSignal(-rootPid, signal);
}
/**
 * Stops every process of the run with SIGSTOP, rescanning until no new
 * process shows up, so that nothing forks between the scan and the signal.
 */
function freeze(rootPid, options) {
    const members = new Map();
    for (let round = 0; round < MAX_FREEZE_ROUNDS; round++) {
        signalGroup(rootPid, 'SIGSTOP', options);
        let added = 0;
        for (const info of runProcesses(rootPid, options.runId, options)) {
            if (members.has(info.pid))
                continue;
            members.set(info.pid, info);
            sendSignal(info.pid, 'SIGSTOP');
            added++;
        }
        if (added === 0)
            break;
    }
    return [...members.values()];
}
function signalAll(rootPid, members, signal, options) {
    const reached = members.filter(m => sendSignal(m.pid, signal)).map(m => m.pid);
    signalGroup(rootPid, signal, options);
    return reached;
}
/**
 * Ends every process of a run: rootPid, its descendants, its process group
 * and session, and (with runId) every process marked with the run id.
 * Sends `signal` first, then SIGKILL to what is left after graceMs.
 * The caller and its ancestors are never signalled.
 *
 * NOTE: the run marker is read from /proc/<pid>/environ, the environment a
 * program was started with. A daemon that leaves the group and session and
 * then execs a program with a fresh environment escapes every check.
 */
async function killTree(rootPid, signal = 'SIGTERM', options = {}) {
    const graceMs = options.graceMs ?? 5000;
    const members = freeze(rootPid, options);
    const signalled = signalAll(rootPid, members, signal, options);
    // Stopped processes act on SIGTERM only once they run again.
    signalAll(rootPid, members, 'SIGCONT', options);
    let alive = await waitForExit(members, signal === 'SIGKILL' ? KILL_WAIT_MS$1 : graceMs, options);
    // Signal handlers (a shell's trap, say) may have started new processes.
    const stragglers = freeze(rootPid, options);
    const survivors = new Map();
    for (const info of [...alive, ...stragglers])
        survivors.set(info.pid, info);
    const killed = signalAll(rootPid, [...survivors.values()], 'SIGKILL', options);
    alive = await waitForExit([...survivors.values()], KILL_WAIT_MS$1, options);
    return {
        signalled,
        killed,
        remaining: alive.map(p => p.pid)
    };
}

// Guest core files and their backtraces. When a guest dies on a signal
// whose default action dumps core, and RLIMIT_CORE is not 0, qemu-user
// writes a core of the guest as `qemu_<program>_<yyyymmdd>-<hhmmss>_<pid>.core`
// in the process's working folder. The kernel then also dumps the qemu
// process itself where core_pattern puts it, by default as `core` in the
// same folder (about 150 MB). That core is useless for the guest, so it is
// deleted here. Seen with qemu-user-static 7.2 on Debian 12.
const execFileAsync$1 = promisify(execFile);
const GUEST_CORE_NAME = /^qemu_(.+)_(\d{8}-\d{6})_(\d+)\.core$/;
/** `core`, `core.<pid>` and other names a relative core_pattern yields. */
const HOST_CORE_NAME = /^core(\..+)?$/;
/**
 * File times come from the kernel's coarse clock, which can lag the clock
 * behind Date.now() by a few milliseconds.
 */
const FILE_TIME_SLACK_MS = 100;
const GDB_OUTPUT_LIMIT = 16 * 1024 * 1024;
const DEFAULT_GDB = 'gdb-multiarch';
/** Frames printed per thread. */
const BACKTRACE_FRAME_LIMIT = 64;
/** Default limit for one gdb run, in milliseconds. */
const DEFAULT_GDB_TIMEOUT_MS = 60_000;
async function listDir(dir) {
    try {
        return await readdir(dir);
    }
    catch {
        return [];
    }
}
/**
 * Lists the guest cores in dir that were written at or after sinceMs
 * (epoch ms), oldest first.
 */
async function findGuestCores(dir, sinceMs) {
    const cores = [];
    for (const name of await listDir(dir)) {
        const match = GUEST_CORE_NAME.exec(name);
        if (!match)
            continue;
        const path = join(dir, name);
        try {
            const info = await stat(path);
            if (!info.isFile() || info.mtimeMs < sinceMs - FILE_TIME_SLACK_MS)
                continue;
            cores.push({
                path,
                program: match[1],
                pid: Number(match[3]),
                mtimeMs: info.mtimeMs
            });
        }
        catch {
            // Deleted between readdir and stat.
        }
    }
    return cores.sort((a, b) => a.mtimeMs - b.mtimeMs);
}
/** Tells whether a core's NT_PRPSINFO names a qemu-user binary. */
function isQemuCommand(command) {
    const words = [command.name, basename(command.args.split(' ')[0] ?? '')];
    return words.some(w => w.startsWith('qemu-') || /-binfmt(-[A-Z]+)?$/.test(w));
}
/**
 * Deletes host core files of qemu itself (`core`, `core.<pid>`, ...) in dir
 * that were written at or after sinceMs. Cores of other host programs and
 * the guest cores are kept. Returns the deleted paths.
 */
async function removeHostCores(dir, sinceMs) {
    const removed = [];
    for (const name of await listDir(dir)) {
        if (!HOST_CORE_NAME.test(name))
            continue;
        const path = join(dir, name);
        try {
            const info = await stat(path);
            if (!info.isFile() || info.mtimeMs < sinceMs - FILE_TIME_SLACK_MS)
                continue;
            const command = readCoreCommand(path);
            if (!command || !isQemuCommand(command))
                continue;
            await rm(path, { force: true });
            removed.push(path);
        }
        catch {
            // Deleted by someone else in the meantime.
        }
    }
    return removed;
}
function describeGdbFailure(error, options) {
    const gdb = options.gdb ?? DEFAULT_GDB;
    const output = (error.stdout ?? '').trim();
    if (error.code === 'ENOENT')
        return `${gdb} not found, so there is no backtrace; install gdb-multiarch or set backtraces to false`;
    if (error.killed)
        return `${gdb} timed out after ${formatDuration(options.timeoutMs)}. Partial output:\n${output}`;
    const detail = (error.stderr ?? '').trim() || output;
    return `${gdb} failed (exit code ${error.code ?? error.signal}): ${detail}`;
}
/**
 * Runs gdb on a guest core and returns every guest thread's backtrace.
 * gdb is killed after timeoutMs, and the text then reports the timeout
 * and keeps what gdb printed. Failures are described in the text, never thrown.
 */
async function backtrace(program, core, options) {
    const gdb = options.gdb ?? DEFAULT_GDB;
    const args = ['-batch', '-nx', '-ex', 'set pagination off'];
    // gdb 13.1 walks past __clone forever on some arm musl cores; a limit
    // ends the walk and keeps every frame a person would read.
    args.push('-ex', `set backtrace limit ${BACKTRACE_FRAME_LIMIT}`);
    args.push('-ex', 'thread apply all bt', program, core);
    // Without DEBUGINFOD_URLS, gdb does not try to download debug info.
    const env = { ...process.env, LC_ALL: 'C' };
    delete env.DEBUGINFOD_URLS;
    try {
        const { stdout, stderr } = await execFileAsync$1(gdb, args, {
            env,
            timeout: options.timeoutMs,
            killSignal: 'SIGKILL',
            maxBuffer: GDB_OUTPUT_LIMIT
        });
        return { program, core, text: stdout.trim() || stderr.trim() };
    }
    catch (error) {
        return {
            program,
            core,
            text: describeGdbFailure(error, options)
        };
    }
}
/**
 * Returns the path of a guest program named in a core file: the first
 * folder that contains a file of that name.
 */
function locateProgram(name, dirs) {
    return dirs.map(dir => join(dir, name)).find(path => existsSync(path));
}
/**
 * Collects the backtraces of a test that ended on a signal: every guest
 * core written in its working folder since sinceMs, with gdb run on the
 * program of the same name from testDir or programDirs (in that order).
 * Deletes the host cores of qemu found there.
 *
 * NOTE: qemu names a core after the program's base name only, so two
 * programs with the same name in different folders cannot be distinguished.
 */
async function collectCrashBacktraces(testDir, sinceMs, options) {
    const dirs = [testDir, ...(options.programDirs ?? [])];
    const backtraces = [];
    for (const core of await findGuestCores(testDir, sinceMs)) {
        const program = locateProgram(core.program, dirs);
        if (program === undefined) {
            backtraces.push({
                program: core.program,
                core: core.path,
                text: `program ${core.program} not found in ${dirs.join(', ')}, so the core has no backtrace`
            });
            continue;
        }
        backtraces.push(await backtrace(program, core.path, options));
    }
    await removeHostCores(testDir, sinceMs);
    return backtraces;
}

// Ends the processes of a hung test, with guest cores when backtraces are
// on, and turns the cores into backtraces.
const execFileAsync = promisify(execFile);
/**
 * Time a process gets to react to SIGQUIT, by exiting or by starting its
 * core file, before it gets SIGABRT. qemu-user keeps the guest's signal
 * dispositions, and a shell starts background jobs with SIGQUIT ignored.
 */
const QUIT_RESPONSE_MS = 1000;
/** Time granted to SIGKILL, which cannot be caught, to take effect. */
const KILL_WAIT_MS = 2000;
function coreLimits(pid, options) {
    try {
        const limits = readFileSync(join(options.procRoot ?? '/proc', String(pid), 'limits'), 'utf8');
        const match = /^Max core file size\s+(\S+)\s+(\S+)/m.exec(limits);
        return match ? { soft: match[1], hard: match[2] } : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Raises RLIMIT_CORE of a running process with prlimit(1), because qemu
 * writes no guest core while the soft limit is 0. Tries unlimited first,
 * which needs CAP_SYS_RESOURCE when the hard limit is lower, then the hard
 * limit.
 */
async function allowCoreDumps(pid, options) {
    const limits = coreLimits(pid, options);
    if (limits === undefined)
        return false;
    if (limits.soft === 'unlimited')
        return true;
    const attempts = ['--core=unlimited'];
    if (limits.hard !== 'unlimited' && limits.hard !== limits.soft)
        attempts.push(`--core=${limits.hard}:`);
    for (const limit of attempts) {
        try {
            await execFileAsync('prlimit', ['--pid', String(pid), limit]);
            return true;
        }
        catch (error) {
            options.log(`prlimit ${limit} failed for pid ${pid}: ${errorMessage(error)}`);
        }
    }
    return false;
}
async function coreOf(target, sinceMs) {
    if (target.cwd === undefined)
        return undefined;
    const cores = await findGuestCores(target.cwd, sinceMs);
    return cores.filter(core => core.pid === target.pid).at(-1)?.path;
}
function record(signals, target, signal) {
    if (!sendSignal(target.pid, signal))
        return;
    const sent = signals.get(target.pid) ?? [];
    sent.push(signal);
    signals.set(target.pid, sent);
}
/**
 * Makes every target write a guest core and exit: SIGQUIT, then SIGABRT to
 * a process that neither exited nor started a core within a second, then
 * SIGKILL to what is left after graceMs. Returns the processes with the
 * signals sent and the core each one wrote.
 */
async function dumpCores(targets, options) {
    const since = Date.now();
    const signals = new Map();
    await Promise.all(targets.map(t => allowCoreDumps(t.pid, options)));
    for (const target of targets)
        record(signals, target, 'SIGQUIT');
    let alive = await waitForExit(targets, Math.min(QUIT_RESPONSE_MS, options.graceMs), options);
    for (const target of alive) {
        if ((await coreOf(target, since)) === undefined)
            record(signals, target, 'SIGABRT');
    }
    alive = await waitForExit(alive, Math.max(0, options.graceMs - (Date.now() - since)), options);
    for (const target of alive)
        record(signals, target, 'SIGKILL');
    await waitForExit(alive, KILL_WAIT_MS, options);
    const ended = [];
    for (const target of targets) {
        ended.push({
            pid: target.pid,
            program: target.program,
            cwd: target.cwd,
            signals: signals.get(target.pid) ?? [],
            core: await coreOf(target, since)
        });
    }
    return ended;
}
/** Ends every target with SIGKILL, without cores. */
async function killProcesses(targets, options) {
    const signals = new Map();
    for (const target of targets)
        record(signals, target, 'SIGKILL');
    await waitForExit(targets, KILL_WAIT_MS, options);
    return targets.map(target => ({
        pid: target.pid,
        program: target.program ?? target.comm,
        cwd: target.cwd,
        signals: signals.get(target.pid) ?? []
    }));
}
/**
 * Runs gdb on the core of every ended process that has one, in parallel,
 * then deletes the host cores of qemu in their folders.
 */
async function backtraceAll(ended, sinceMs, options) {
    const withCore = ended.filter(p => p.core !== undefined);
    const backtraces = await Promise.all(withCore.map(p => backtrace(p.program, p.core, options)));
    const folders = new Set(ended.flatMap(p => (p.cwd === undefined ? [] : [p.cwd])));
    for (const folder of folders)
        await removeHostCores(folder, sinceMs);
    return backtraces;
}

/**
 * A process of the test's shell may start a little before the runner reads
 * the test's title, which then passes through a pipe and the event loop.
 */
const TEST_START_SLACK_MS = 1000;
/** Checks the running test for progress and ends it when it has none. */
class Watchdog {
    options;
    current;
    lastProgress = Date.now();
    timer;
    pending = new Set();
    /** Pids being ended by a hang round that is still running. */
    busy = new Set();
    hung = new Set();
    constructor(options) {
        this.options = options;
        const interval = Math.min(1000, Math.max(50, options.testTimeoutMs / 10));
        this.timer = setInterval(() => this.check(), interval);
        this.timer.unref();
    }
    /** Starts the clock for a test; called when the suite prints its title. */
    testStarted(id) {
        this.current = {
            id,
            startedUptimeMs: readUptimeMs(this.options),
            rounds: 0,
            handling: false
        };
        this.lastProgress = Date.now();
    }
    /** Restarts the clock; called for every piece of output. */
    progress() {
        this.lastProgress = Date.now();
    }
    /** Stops watching a test; ids of tests no longer running are ignored. */
    testEnded(id) {
        if (this.current?.id === id)
            this.current = undefined;
    }
    /**
     * Tells whether the watchdog found the test hung, from the moment it
     * starts ending its processes, before onHang is called. The shell then
     * reports those processes as killed by SIGQUIT, which is no crash.
     */
    wasHung(id) {
        return this.hung.has(id);
    }
    /** Stops watching and waits for hang rounds still collecting backtraces. */
    async stop() {
        clearInterval(this.timer);
        this.current = undefined;
        while (this.pending.size > 0)
            await Promise.all(this.pending);
    }
    check() {
        const test = this.current;
        if (test === undefined || test.handling)
            return;
        const idleMs = Date.now() - this.lastProgress;
        if (idleMs < this.options.testTimeoutMs)
            return;
        test.handling = true;
        test.rounds++;
        if (!this.hung.has(test.id)) {
            this.hung.add(test.id);
            this.notifyDetected(test.id);
        }
        const round = this.endHungTest(test, idleMs)
            .catch(error => {
            this.options.ui.warning(`Ending hung test ${test.id} failed: ${errorMessage(error)}`);
        })
            .finally(() => {
            test.handling = false;
            if (this.current === test)
                this.lastProgress = Date.now();
            this.pending.delete(round);
        });
        this.pending.add(round);
    }
    notifyDetected(id) {
        try {
            this.options.onHangDetected?.(id);
        }
        catch (error) {
            this.options.ui.warning(`onHangDetected failed for test ${id}: ${errorMessage(error)}`);
        }
    }
    /**
     * Lists the processes a test started that have no children, for a hang
     * without emulated processes. Ending only the leaves lets the test's own
     * shell see a failed command and go on, as `|| die` expects. When that is
     * not enough, a later round reaches the next level.
     */
    testLeafProcesses(test) {
        const since = test.startedUptimeMs;
        if (since === undefined)
            return [];
        const { rootPid, runId } = this.options;
        const run = runProcesses(rootPid, runId, this.options);
        const parents = new Set(run.map(p => p.ppid));
        return run.filter(p => p.pid !== rootPid &&
            !parents.has(p.pid) &&
            !this.busy.has(p.pid) &&
            startTimeMs(p) >= since - TEST_START_SLACK_MS);
    }
    async endHungTest(test, idleMs) {
        const { ui, arch, rootPid, runId } = this.options;
        const startedAt = Date.now();
        const endOptions = {
            procRoot: this.options.procRoot,
            graceMs: this.options.graceMs ?? 10_000,
            log: message => ui.info(message)
        };
        const emulated = emulatedProcesses(rootPid, arch, {
            runId,
            procRoot: this.options.procRoot
        }).filter(p => !this.busy.has(p.pid));
        const targets = emulated.length > 0 ? emulated : this.testLeafProcesses(test);
        const names = targets
            .map(p => `${p.program ?? p.comm} (pid ${p.pid})`)
            .join(', ');
        ui.info(`Test ${test.id} printed nothing for ${formatDuration(idleMs)}: ` +
            (emulated.length > 0
                ? `ending its qemu-${arch.qemu} processes ${names}`
                : targets.length > 0
                    ? `no qemu-${arch.qemu} process found, ending the processes it started: ${names}`
                    : `no process of the test found`));
        for (const target of targets)
            this.busy.add(target.pid);
        let ended;
        let backtraces = [];
        try {
            const dump = this.options.backtraces && emulated.length > 0;
            ended = dump
                ? await dumpCores(emulated, endOptions)
                : await killProcesses(targets, endOptions);
            if (dump) {
                backtraces = await backtraceAll(ended, startedAt, {
                    timeoutMs: this.options.gdbTimeoutMs ?? DEFAULT_GDB_TIMEOUT_MS,
                    gdb: this.options.gdb ?? DEFAULT_GDB
                });
            }
        }
        finally {
            for (const target of targets)
                this.busy.delete(target.pid);
        }
        const info = {
            testId: test.id,
            idleMs,
            processes: ended,
            backtraces,
            reason: describeHang(idleMs, ended)
        };
        ui.info(`Test ${test.id}: ${info.reason}`);
        if (test.rounds === 1)
            this.options.onHang(test.id, info);
    }
}
/** Summarises a hang in one line, such as `no output for 2.0 s; ...`. */
function describeHang(idleMs, ended) {
    const idle = `no output for ${formatDuration(idleMs)}`;
    if (ended.length === 0)
        return `${idle}; no process to end was found`;
    const parts = ended.map(p => {
        const name = p.program.split('/').at(-1) || p.program;
        const signals = p.signals.length > 0 ? p.signals.join(', ') : 'already gone';
        return `${name} (pid ${p.pid}: ${signals}${p.core ? ', core dumped' : ''})`;
    });
    return `${idle}; ended ${parts.join('; ')}`;
}

// Connects the test phase to the watchdog: starts and stops its clock as
// the suite prints titles and results, marks hung tests in the tracker, and
// collects guest backtraces of hung and crashed tests.
class TestWatch {
    options;
    watchdog;
    startedAt = new Map();
    traces = new Map();
    pending = new Set();
    hung = new Set();
    constructor(options) {
        this.options = options;
    }
    /** Folder where testrump.sh runs a test, and where qemu writes its cores. */
    testDir(id) {
        return path.join(this.options.dirs.obj, 'brtests', id);
    }
    started(pid) {
        const { arch, runId, testTimeoutMs, backtraces, ui, tracker } = this.options;
        this.watchdog = new Watchdog({
            rootPid: pid,
            runId,
            arch,
            testTimeoutMs,
            backtraces,
            ui,
            onHangDetected: id => {
                this.hung.add(id);
                tracker.markHung(id, `no output for ${formatDuration(testTimeoutMs)}`, Date.now());
            },
            onHang: (id, info) => {
                tracker.markHung(id, info.reason, Date.now());
                this.addTraces(id, info.backtraces);
            }
        });
    }
    progress() {
        this.watchdog?.progress();
    }
    event(event) {
        if (event.type === 'test-start') {
            this.startedAt.set(event.id, Date.now());
            this.watchdog?.testStarted(event.id);
        }
        else if (event.type === 'test-end') {
            this.watchdog?.testEnded(event.id);
            if (event.outcome === 'crashed' && !this.hung.has(event.id)) {
                this.collectCrash(event.id);
            }
        }
    }
    async finished() {
        await this.watchdog?.stop();
        while (this.pending.size > 0)
            await Promise.all(this.pending);
    }
    /** Attaches the collected backtraces to the results. */
    decorate(results) {
        for (const result of results) {
            const traces = this.traces.get(result.id);
            if (traces)
                result.backtraces.push(...traces);
        }
        return results;
    }
    addTraces(id, traces) {
        this.traces.set(id, [...(this.traces.get(id) ?? []), ...traces]);
    }
    collectCrash(id) {
        if (!this.options.backtraces)
            return;
        const since = this.startedAt.get(id) ?? Date.now();
        const job = collectCrashBacktraces(this.testDir(id), since, {
            timeoutMs: DEFAULT_GDB_TIMEOUT_MS,
            programDirs: [
                path.join(this.options.dirs.dest, 'bin'),
                this.testDir('simpleclient')
            ]
        })
            .then(traces => this.addTraces(id, traces))
            .catch(error => {
            this.options.ui.warning(`Collecting the backtrace of crashed test ${id} failed: ${errorMessage(error)}`);
        })
            .finally(() => this.pending.delete(job));
        this.pending.add(job);
    }
}

/** Lines kept in each result's `output`. */
const MAX_OUTPUT_LINES = 30;
/** Characters kept of each line in `output`, and of build error messages. */
const MAX_OUTPUT_LINE_CHARS = 500;
/** Distinct build errors kept. Later ones are dropped. */
const MAX_BUILD_ERRORS = 1000;
// Error prefixes are at the start of a line, so the rest is not searched.
const BUILD_ERROR_SCAN_CHARS = 4096;
// An unterminated line may grow without limit. Past MAX_LINE_CHARS only its
// end is kept, from an offset that depends on the line length alone, so the
// kept text does not depend on how the output was split into chunks.
const MAX_LINE_CHARS = 1 << 20;
const KEPT_LINE_CHARS = 1 << 19;
const LINE_DROP_BLOCK = 1 << 16;
const BUILD_FAILED_REASON = 'test program failed to build';
const SKIP_MESSAGE = 'component load failed, skipping test';
const MISSING_DIE_MESSAGE = 'buildrump.sh printed ">> ERROR:" and the output ended before its message';
// testrump.sh prints the titles that end in '...' with printf and no
// newline and ends those tests with `done`. The other titles are printed
// with echo and those tests end with `Done`.
const INLINE_TITLES = SUITE.filter(test => test.title.endsWith('...'));
const ECHO_TITLES = new Map(SUITE.flatMap((test, index) => test.title.endsWith('...') ? [] : [[test.title, index]]));
const INLINE_TITLE_RE = new RegExp(INLINE_TITLES.map(test => escapeRegExp(test.title)).join('|'), 'g');
const MAX_INLINE_TITLE_CHARS = Math.max(...INLINE_TITLES.map(test => test.title.length));
// CSI, OSC (capped so that a stray ESC cannot hold back unlimited text),
// character set selection, and the other two-byte escapes. ANSI_PREFIX_RE
// matches an incomplete sequence at the end of a chunk.
/* eslint-disable no-control-regex */
const ANSI_RE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]{0,4096}(?:\x07|\x1b\\)|[()*+][ -~]|[@-_])/g;
const ANSI_PREFIX_RE = /\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b\n]{0,4096}\x1b?|[()*+])?$/;
/* eslint-enable no-control-regex */
const ANSI_PREFIX_WINDOW = 4200;
// qemu-user prints QEMU_SIGNAL_RE when a signal kills the guest. dash prints
// SHELL_SIGNAL_RE's names (glibc's strsignal texts of the signals a faulting
// program gets) when a signal kills a child, and bash prefixes them with
// `<script>: line N: <pid>`. Both add `(core dumped)` to the
// names of the other signals that dump core.
const QEMU_SIGNAL_RE = /qemu: uncaught target signal \d+ \([^)]*\)(?: - [a-z ]+)?/;
const SHELL_SIGNAL_RE = /^(?:.*: line \d+: +\d+ +)?(?:Segmentation fault|Aborted|Illegal instruction|Bus error|Floating point exception|Trace\/breakpoint trap|Bad system call)\b(?: +\(core dumped\))?/;
const CORE_DUMPED_RE = /\(core dumped\)/;
const NON_NATIVE_RE = /^>> WARNING!\s+Running tests on non-native build!$/;
const FAILED_TESTS_RE = /^FAILED (\d+) tests!$/;
const SUCCESS_LINE = '>> buildrump.sh ran successfully';
// `file:line:col: error: msg` and `file:line: error: msg` from gcc and clang.
const COMPILER_ERROR_RE = /^([^\s:][^:]*):(\d+):(?:(\d+):)? (?:fatal )?error: (.*\S)/;
// GNU ld, with or without its path, then `file:(section+offset):` or
// `file:line:` and the message.
const LINKER_ERROR_RE = /^(?:\S*\bld(?:\.[a-z]+)?: )?(?:([^\s:][^:]*?):(?:(\d+)|\([^)]*\)): )?((?:undefined reference|multiple definition) .*\S)/;
// A tool's error without a source location, such as
// `collect2: error: ld returned 1 exit status`.
const TOOL_ERROR_RE = /^(?:\S*\/)?(?:[\w.+-]*-)?(?:gcc|g\+\+|c\+\+|cc|cc1|cc1plus|clang|clang\+\+|collect2|ld|ld\.bfd|ld\.gold|ld\.lld|as)(?:-[\d.]+)?: (?:fatal )?error: \S/;
// NetBSD make's `*** [target] Error code N` and GNU make's
// `make[1]: *** [Makefile:5: target] Error 2`.
const MAKE_ERROR_RE = /^(?:\S+: )?\*\*\* (?:\[.+\] )?Error(?: code)? \d+/;
// NetBSD build.sh's bomb(), such as `ERROR: Build of nbmake failed`.
const BUILD_SH_ERROR_RE = /^ERROR: \S/;
/**
 * Follows a buildrump.sh run as its output arrives and decides the outcome
 * of each test of the suite.
 *
 * Call feed() with each chunk of the merged stdout and stderr, in the order
 * the process wrote them, and end() once at EOF. Each call returns the events
 * the new text completed. A test title is recognized as soon as it arrives,
 * even while its line is still open, so current() names a test that hangs
 * right after printing its title.
 *
 * Feed one stream with stdout and stderr joined: through two pipes, text
 * written to both within a few milliseconds may arrive swapped, such as a
 * title and the crash message of a program that fails at once.
 */
class SuiteTracker {
    tests = SUITE.map(test => ({
        test,
        locked: false,
        output: []
    }));
    /** Index of the test whose title came last and whose end did not. */
    running;
    /** Lowest suite index whose title is still expected. */
    nextIndex = 0;
    suiteStarted = false;
    suiteEnded = false;
    nonNative = false;
    succeeded = false;
    ended = false;
    /** Set after `>> ERROR:`, so the next line that starts with `>>` is the message. */
    dieExpected = false;
    lastDie;
    now;
    /** 1-based number of the line that is open now. */
    lineNo = 1;
    /** Start of an escape sequence left at the end of the last chunk. */
    ansiCarry = '';
    /** Kept text of the open line, including `\r` and a trailing `\r`. */
    pending = '';
    /** Offset in the open line of pending[0], nonzero after a drop. */
    pendingBase = 0;
    /** Offset in the open line where the text after the last title starts. */
    segmentStart = 0;
    /** Offset in the open line where the next title search starts. */
    titleSearchFrom = 0;
    /**
     * Text of the open line from titleSearchFrom on, at most a title long.
     * Searching it with each new piece, not all of `pending`, keeps a long
     * line fed in small chunks from costing quadratic time.
     */
    searchTail = '';
    /** Tests whose output includes the open line. */
    lineOwners = new Set();
    /** Lines printed since the last test started or ended, outside any test. */
    gap = [];
    errorLines = new Set();
    errors = [];
    /**
     * Parses the next chunk of output. `nowMs` is the time the chunk arrived.
     * Without it, results have no durations.
     */
    feed(chunk, nowMs) {
        if (this.ended)
            throw new Error('SuiteTracker.feed() called after end()');
        this.now = nowMs;
        const events = [];
        const text = this.stripAnsi(chunk);
        let start = 0;
        for (;;) {
            const newline = text.indexOf('\n', start);
            if (newline < 0)
                break;
            this.appendToLine(text.slice(start, newline), events);
            this.completeLine(events);
            start = newline + 1;
        }
        if (start < text.length)
            this.appendToLine(text.slice(start), events);
        return events;
    }
    /**
     * Finishes the run at EOF: completes an unterminated last line, gives a test
     * that is still running its outcome and emits `done`. Later calls return
     * nothing.
     */
    end(nowMs, openTestReason = 'the output ended while the test was running') {
        if (this.ended)
            return [];
        this.now = nowMs;
        const events = [];
        if (this.ansiCarry !== '') {
            const carry = this.ansiCarry;
            this.ansiCarry = '';
            this.appendToLine(carry, events);
        }
        if (this.pending !== '' || this.pendingBase > 0)
            this.completeLine(events);
        const at = this.lineNo - 1;
        if (this.dieExpected) {
            this.dieExpected = false;
            this.lastDie = MISSING_DIE_MESSAGE;
            events.push({ type: 'die', message: MISSING_DIE_MESSAGE, at });
        }
        const index = this.running;
        if (index !== undefined) {
            const state = this.tests[index];
            if (state.crash !== undefined) {
                this.finishTest(index, 'crashed', state.crash, at, this.now, events);
            }
            else {
                this.finishTest(index, 'not-run', openTestReason, at, undefined, events);
            }
        }
        if (!this.succeeded)
            events.push({ type: 'done', success: false, at });
        this.ended = true;
        return events;
    }
    /** Returns the id of the test that runs now, as far as the output shows. */
    current() {
        return this.running === undefined
            ? undefined
            : this.tests[this.running].test.id;
    }
    /**
     * Sets a test's outcome to hung. Later output cannot change it, and the
     * test stays current() until the suite moves on.
     */
    markHung(id, reason, nowMs) {
        return this.override(id, 'hung', reason, nowMs);
    }
    /** Sets a test's outcome to crashed, like markHung(). */
    markCrashed(id, reason, nowMs) {
        return this.override(id, 'crashed', reason, nowMs);
    }
    /**
     * Returns the nine tests in suite order. A running test is `not-run`, or
     * `crashed` after a crash marker, and its output ends with the open line.
     */
    results() {
        return this.tests.map((state, index) => {
            const running = index === this.running;
            let outcome = state.outcome ?? 'not-run';
            let reason = state.reason;
            if (state.outcome === undefined && running && state.crash !== undefined) {
                outcome = 'crashed';
                reason = state.crash;
            }
            const output = [...state.output];
            if (running) {
                const open = this.lineText();
                if (open !== '')
                    pushBounded(output, open);
            }
            const result = {
                id: state.test.id,
                title: state.test.title,
                outcome,
                output,
                backtraces: []
            };
            if (reason !== undefined)
                result.reason = reason;
            if (state.durationMs !== undefined)
                result.durationMs = state.durationMs;
            return result;
        });
    }
    /** Returns the distinct build errors found so far, in output order. */
    buildErrors() {
        return [...this.errors];
    }
    /** Returns what the output showed about the whole run so far. */
    summary() {
        const summary = {
            buildErrors: this.buildErrors(),
            success: this.succeeded,
            nonNative: this.nonNative,
            suiteStarted: this.suiteStarted
        };
        return this.lastDie === undefined
            ? summary
            : { ...summary, die: this.lastDie };
    }
    override(id, outcome, reason, nowMs) {
        const index = SUITE.findIndex(test => test.id === id);
        if (index < 0) {
            const ids = SUITE.map(test => test.id).join(', ');
            throw new Error(`Test id "${id}" is unknown. Use one of ${ids}.`);
        }
        const state = this.tests[index];
        state.outcome = outcome;
        state.reason = reason;
        state.locked = true;
        if (nowMs !== undefined && state.startMs !== undefined) {
            state.durationMs = nowMs - state.startMs;
        }
        return [{ type: 'test-end', id, outcome, reason, at: this.lineNo }];
    }
    /** Removes complete escape sequences and holds back an incomplete one. */
    stripAnsi(chunk) {
        let text = this.ansiCarry + chunk;
        this.ansiCarry = '';
        if (!text.includes('\x1b'))
            return text;
        const windowStart = Math.max(0, text.length - ANSI_PREFIX_WINDOW);
        const prefix = ANSI_PREFIX_RE.exec(text.slice(windowStart));
        if (prefix !== null) {
            this.ansiCarry = prefix[0];
            text = text.slice(0, text.length - prefix[0].length);
        }
        return text.replace(ANSI_RE, '');
    }
    appendToLine(piece, events) {
        this.pending += piece;
        this.scanTitles(piece, events);
        // Drop the start of an overlong line. Its titles were handled above.
        const length = this.pendingBase + this.pending.length;
        if (length > MAX_LINE_CHARS) {
            const keepFrom = Math.floor((length - KEPT_LINE_CHARS) / LINE_DROP_BLOCK) *
                LINE_DROP_BLOCK;
            if (keepFrom > this.pendingBase) {
                this.pending = this.pending.slice(keepFrom - this.pendingBase);
                this.pendingBase = keepFrom;
            }
        }
    }
    /**
     * Finds the titles of tests 3 to 9 in the open line. Each title ends the
     * text before it, which belongs to the test that ran until then.
     */
    scanTitles(piece, events) {
        if (!this.suiteStarted || this.suiteEnded)
            return;
        const windowStart = this.titleSearchFrom;
        const window = this.searchTail + piece;
        let searched = 0;
        INLINE_TITLE_RE.lastIndex = 0;
        for (;;) {
            const match = INLINE_TITLE_RE.exec(window);
            if (match === null)
                break;
            searched = match.index + match[0].length;
            const start = windowStart + match.index;
            const end = windowStart + searched;
            const index = SUITE.findIndex(test => test.title === match[0]);
            // A title may repeat in later output, but only a later test counts.
            if (index < this.nextIndex)
                continue;
            // When part of the line was dropped, the text before the title is cut
            // at the same place however the output was split into chunks.
            const segment = this.lineSlice(Math.max(this.segmentStart, end - KEPT_LINE_CHARS), start);
            this.analyzeSegment(segment, false, false, events);
            this.startTest(index, events);
            this.segmentStart = end;
        }
        // A title may begin in the last characters and end in the next chunk.
        const keepFrom = Math.max(searched, window.length - (MAX_INLINE_TITLE_CHARS - 1));
        this.titleSearchFrom = windowStart + keepFrom;
        this.searchTail = window.slice(keepFrom);
    }
    completeLine(events) {
        const lineEnd = this.pendingBase + this.pending.length;
        const wholeLine = this.segmentStart === 0;
        this.analyzeSegment(this.lineSlice(this.segmentStart, lineEnd), wholeLine, true, events);
        const text = this.lineText();
        if (this.lineOwners.size === 0 && this.running === undefined) {
            this.detectBuildError(text, events);
        }
        const truncatedLine = truncate(text);
        for (const index of this.lineOwners) {
            pushBounded(this.tests[index].output, truncatedLine);
        }
        if (this.lineOwners.size === 0 && this.suiteStarted && !this.suiteEnded) {
            pushBounded(this.gap, truncatedLine);
        }
        events.push({ type: 'line', text, lineNo: this.lineNo });
        this.lineNo += 1;
        this.pending = '';
        this.pendingBase = 0;
        this.segmentStart = 0;
        this.titleSearchFrom = 0;
        this.searchTail = '';
        this.lineOwners.clear();
    }
    /**
     * Handles the text of the open line that belongs to one test, or to no
     * test: all of a line without titles, the text before a title, or the
     * text after the last title once the line is complete.
     */
    analyzeSegment(raw, wholeLine, lineComplete, events) {
        const text = finalText(raw).trim();
        if (wholeLine && this.suiteStarted && !this.suiteEnded) {
            const titleIndex = ECHO_TITLES.get(text);
            if (titleIndex !== undefined && titleIndex >= this.nextIndex) {
                this.startTest(titleIndex, events);
                return;
            }
        }
        const index = this.running;
        if (index !== undefined && (text !== '' || lineComplete)) {
            this.lineOwners.add(index);
            if (this.now !== undefined)
                this.tests[index].lastMs = this.now;
        }
        if (text === '')
            return;
        if (wholeLine && this.handleRunLine(text, events))
            return;
        if (index !== undefined)
            this.handleTestText(index, text, events);
        if (text.endsWith('>> ERROR:'))
            this.dieExpected = true;
    }
    /** Handles a line of buildrump.sh or testrump.sh itself. */
    handleRunLine(text, events) {
        const at = this.lineNo;
        if (this.dieExpected && text.startsWith('>>')) {
            this.handleDie(text.replace(/^>>\s?/, '').trim(), events);
            return true;
        }
        if (text === 'Running simple tests' && !this.suiteStarted) {
            this.suiteStarted = true;
            events.push({ type: 'suite-start', at });
            return true;
        }
        if (NON_NATIVE_RE.test(text)) {
            this.nonNative = true;
            events.push({ type: 'non-native', at });
            return true;
        }
        if (text === 'Success' && this.suiteStarted && !this.suiteEnded) {
            this.endSuite(true, undefined, events);
            return true;
        }
        if (text === SUCCESS_LINE) {
            this.succeeded = true;
            events.push({ type: 'done', success: true, at });
            return true;
        }
        return false;
    }
    handleTestText(index, text, events) {
        const state = this.tests[index];
        const crash = findCrashMarker(text);
        if (crash !== undefined) {
            state.crash ??= crash;
            events.push({
                type: 'crash-marker',
                id: state.test.id,
                text: crash,
                at: this.lineNo
            });
        }
        // Only a line that reads exactly `done` ends a test, because the kernel
        // prints `syncing disks... done` and `unmounting done` while fstest_img
        // runs. NOTE: a test that printed text without a newline before `done`
        // is therefore judged failed when the next title arrives.
        if (text === endWord(state.test)) {
            this.finishTest(index, 'passed', undefined, this.lineNo, this.now, events);
        }
        else if (text.endsWith(SKIP_MESSAGE)) {
            const at = this.lineNo;
            this.finishTest(index, 'skipped', SKIP_MESSAGE, at, this.now, events);
        }
    }
    handleDie(message, events) {
        this.dieExpected = false;
        const at = this.lineNo;
        const failed = FAILED_TESTS_RE.exec(message);
        if (failed !== null && this.suiteStarted && !this.suiteEnded) {
            this.lastDie = message;
            events.push({ type: 'die', message, at });
            this.endSuite(false, Number(failed[1]), events);
            return;
        }
        const index = this.running;
        if (index === undefined) {
            this.lastDie = message;
            events.push({ type: 'die', message, at });
            return;
        }
        const state = this.tests[index];
        events.push({ type: 'die', message, test: state.test.id, at });
        if (state.crash !== undefined) {
            this.finishTest(index, 'crashed', state.crash, at, this.now, events);
        }
        else {
            this.finishTest(index, 'failed', message, at, this.now, events);
        }
    }
    startTest(index, events) {
        if (this.running !== undefined) {
            this.endWithoutEndWord(this.running, 'the next test started', events);
        }
        // testrump.sh runs `(build) && (run)` for each test, so a test that
        // printed no title before a later one did not build.
        for (let skipped = this.nextIndex; skipped < index; skipped++) {
            this.failBuild(skipped, events);
        }
        const state = this.tests[index];
        state.startMs = this.now;
        state.lastMs = this.now;
        this.running = index;
        this.nextIndex = index + 1;
        this.gap = [];
        this.lineOwners.add(index);
        events.push({ type: 'test-start', id: state.test.id, at: this.lineNo });
    }
    endSuite(success, failedCount, events) {
        const at = this.lineNo;
        events.push(failedCount === undefined
            ? { type: 'suite-end', success, at }
            : { type: 'suite-end', success, failedCount, at });
        const index = this.running;
        if (index !== undefined) {
            // `Success` means every test's subshell exited with 0.
            if (success) {
                this.finishTest(index, 'passed', undefined, at, this.now, events);
            }
            else {
                this.endWithoutEndWord(index, 'the suite ended', events);
            }
        }
        // The loop ran every test, so a failed suite without a title for a test
        // means its program did not build. After `Success`, a missing title only
        // means the output was mangled, so those tests stay not-run.
        if (!success) {
            for (let skipped = this.nextIndex; skipped < SUITE.length; skipped++) {
                this.failBuild(skipped, events);
            }
        }
        this.nextIndex = SUITE.length;
        this.suiteEnded = true;
    }
    endWithoutEndWord(index, when, events) {
        const state = this.tests[index];
        const at = this.lineNo;
        if (state.crash !== undefined) {
            this.finishTest(index, 'crashed', state.crash, at, state.lastMs, events);
        }
        else {
            const reason = `no "${endWord(state.test)}" before ${when}`;
            this.finishTest(index, 'failed', reason, at, state.lastMs, events);
        }
    }
    failBuild(index, events) {
        const state = this.tests[index];
        if (state.outcome !== undefined)
            return;
        state.outcome = 'failed';
        state.reason = BUILD_FAILED_REASON;
        // The build output between two tests is shared when several in a row
        // failed to build.
        for (const line of this.gap)
            pushBounded(state.output, line);
        events.push({
            type: 'test-end',
            id: state.test.id,
            outcome: 'failed',
            reason: BUILD_FAILED_REASON,
            at: this.lineNo
        });
    }
    /**
     * Ends the running test. The outcome is kept when an override already set
     * one.
     */
    finishTest(index, outcome, reason, at, endMs, events) {
        if (this.running === index) {
            this.running = undefined;
            this.gap = [];
        }
        const state = this.tests[index];
        if (state.outcome !== undefined)
            return;
        state.outcome = outcome;
        state.reason = reason;
        if (endMs !== undefined && state.startMs !== undefined) {
            state.durationMs = endMs - state.startMs;
        }
        events.push(reason === undefined
            ? { type: 'test-end', id: state.test.id, outcome, at }
            : { type: 'test-end', id: state.test.id, outcome, reason, at });
    }
    detectBuildError(text, events) {
        const key = text.slice(0, BUILD_ERROR_SCAN_CHARS).trim();
        if (this.errorLines.has(key) || this.errors.length >= MAX_BUILD_ERRORS) {
            return;
        }
        const error = parseBuildError(key, this.lineNo);
        if (error === undefined)
            return;
        this.errorLines.add(key);
        this.errors.push(error);
        events.push({ type: 'build-error', error });
    }
    /** Returns the kept part of the open line between two offsets. */
    lineSlice(from, to) {
        const start = Math.max(from, this.pendingBase) - this.pendingBase;
        return this.pending.slice(start, Math.max(to - this.pendingBase, start));
    }
    /** Returns the open line as a `line` event shows it. */
    lineText() {
        const text = finalText(this.pending);
        const overwritten = text.length < trimReturns(this.pending).length;
        if (this.pendingBase === 0 || overwritten)
            return text;
        return `[... ${this.pendingBase} characters omitted ...] ${text}`;
    }
}
/** Returns the build error a line reports, if it reports one. */
function parseBuildError(line, logLine) {
    const compiler = COMPILER_ERROR_RE.exec(line);
    if (compiler !== null) {
        const [, file, lineText, columnText, message] = compiler;
        const position = columnText === undefined
            ? { file, line: Number(lineText) }
            : { file, line: Number(lineText), column: Number(columnText) };
        return { ...position, message: truncate(message), logLine };
    }
    const linker = LINKER_ERROR_RE.exec(line);
    if (linker !== null) {
        const [, file, lineText, message] = linker;
        let position = {};
        if (file !== undefined) {
            position =
                lineText === undefined ? { file } : { file, line: Number(lineText) };
        }
        return { ...position, message: truncate(message), logLine };
    }
    if (TOOL_ERROR_RE.test(line) ||
        MAKE_ERROR_RE.test(line) ||
        BUILD_SH_ERROR_RE.test(line)) {
        return { message: truncate(line), logLine };
    }
    return undefined;
}
function findCrashMarker(text) {
    const qemu = QEMU_SIGNAL_RE.exec(text);
    if (qemu !== null)
        return qemu[0];
    if (SHELL_SIGNAL_RE.test(text) || CORE_DUMPED_RE.test(text)) {
        return truncate(text);
    }
    return undefined;
}
function endWord(test) {
    return test.title.endsWith('...') ? 'done' : 'Done';
}
/** Reduces `\r` progress overwrites to the text after the last `\r`. */
function finalText(raw) {
    const text = trimReturns(raw);
    return text.slice(text.lastIndexOf('\r') + 1);
}
/** Removes the `\r` of a CRLF line end, and any more before it. */
function trimReturns(raw) {
    let end = raw.length;
    while (end > 0 && raw.charCodeAt(end - 1) === 13)
        end -= 1;
    return raw.slice(0, end);
}
function truncate(text) {
    return text.length <= MAX_OUTPUT_LINE_CHARS
        ? text
        : `${text.slice(0, MAX_OUTPUT_LINE_CHARS - 3)}...`;
}
function pushBounded(lines, line) {
    lines.push(truncate(line));
    if (lines.length > MAX_OUTPUT_LINES)
        lines.shift();
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Runs buildrump.sh invocations as child processes: streams their output to
// the log file, the UI and the suite tracker, and lets the watchdog act on
// hung tests. One instance serves one run of the action.
/** Time the observer gets to finish its work when the run was stopped. */
const STOPPED_OBSERVER_MS = 2000;
/** Time the output pipes get to close after the process tree ended. */
const PIPE_DRAIN_MS = 2000;
/** Waits for the child's pipes to close, or destroys them after timeoutMs. */
async function drained(child, timeoutMs) {
    const streams = [child.stdout, child.stderr].filter((stream) => stream !== null);
    await Promise.all(streams.map(stream => new Promise(resolve => {
        if (stream.destroyed || stream.readableEnded)
            return resolve();
        const timer = setTimeout(() => {
            stream.destroy();
            resolve();
        }, timeoutMs);
        stream.once('close', () => {
            clearTimeout(timer);
            resolve();
        });
    })));
}
class BuildrumpRunner {
    options;
    child;
    stopReason;
    constructor(options) {
        this.options = options;
    }
    /** Reason the run was stopped, if it was. */
    get stopped() {
        return this.stopReason;
    }
    /**
     * Ends the running invocation and every process it started, and makes
     * later invocations return at once.
     */
    async stop(reason) {
        this.stopReason ??= reason;
        const child = this.child;
        if (child?.pid !== undefined && child.exitCode === null) {
            await this.options.killTree(child.pid, 'SIGTERM');
        }
    }
    /** Runs one buildrump.sh command; its output goes to a fresh tracker. */
    async invoke(command, args, tracker, observer) {
        const { script, cwd, env, log, ui } = this.options;
        const argv = [script, ...args];
        const started = Date.now();
        if (this.stopReason) {
            return {
                command,
                argv,
                exitCode: null,
                signal: null,
                durationMs: 0,
                stopped: this.stopReason
            };
        }
        log.write(`\n### rump-cross: ${argv.join(' ')}\n`);
        // The shell only raises the core size limit (qemu writes guest cores
        // only when it allows them), joins stderr to stdout so that the two
        // keep their order, and replaces itself with buildrump.sh. The arguments
        // reach it as "$@" and are never parsed by the shell.
        const child = spawn('sh', [
            '-c',
            'ulimit -c unlimited 2>/dev/null; exec "$@" 2>&1',
            'rump-cross',
            ...argv
        ], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        this.child = child;
        if (child.pid !== undefined)
            observer?.started(child.pid);
        const decoder = {
            stdout: new StringDecoder('utf8'),
            stderr: new StringDecoder('utf8')
        };
        const handle = (text) => {
            if (text === '')
                return;
            log.write(text);
            observer?.progress();
            this.forward(tracker.feed(text, Date.now()), ui, observer);
        };
        child.stdout?.on('data', (data) => handle(decoder.stdout.write(data)));
        child.stderr?.on('data', (data) => handle(decoder.stderr.write(data)));
        const { exitCode, signal } = await new Promise((resolve, reject) => {
            child.on('error', reject);
            child.on('exit', (code, sig) => resolve({ exitCode: code, signal: sig }));
        });
        // A daemon a test left behind keeps the output pipes open, so 'close'
        // would never come. Nothing of an invocation may outlive it: end what is
        // left, then give the pipes a moment to drain.
        if (child.pid !== undefined)
            await this.options.killTree(child.pid, 'SIGTERM');
        await drained(child, PIPE_DRAIN_MS);
        handle(decoder.stdout.end());
        handle(decoder.stderr.end());
        this.forward(tracker.end(Date.now(), this.stopReason === 'cancelled'
            ? 'the run was cancelled while the test ran'
            : undefined), ui, observer);
        // A stopped run has seconds left before the runner kills it: backtraces
        // still being collected then are given up.
        const finished = observer?.finished();
        await (this.stopReason
            ? Promise.race([finished, setTimeout$1(STOPPED_OBSERVER_MS)])
            : finished);
        this.child = undefined;
        const durationMs = Date.now() - started;
        log.write(`### rump-cross: exit ${exitCode ?? signal} after ${durationMs} ms\n`);
        return {
            command,
            argv,
            exitCode,
            signal,
            durationMs,
            stopped: this.stopReason
        };
    }
    forward(events, ui, observer) {
        const lines = [];
        for (const event of events) {
            if (event.type === 'line')
                lines.push(event.text);
            else
                observer?.event(event);
        }
        ui.output(lines);
    }
}

/** Results for a suite that never started: every test not-run. */
function notRunResults(reason) {
    return SUITE.map(test => ({
        id: test.id,
        title: test.title,
        outcome: 'not-run',
        reason,
        output: [],
        backtraces: []
    }));
}
async function runBuildrump(request, ui, onControl) {
    await mkdir(request.dirs.obj, { recursive: true });
    await mkdir(request.dirs.dest, { recursive: true });
    const runner = new BuildrumpRunner({
        script: request.script,
        cwd: request.dirs.obj,
        env: request.env,
        log: request.log,
        ui,
        killTree: async (pid, signal) => {
            await killTree(pid, signal, { runId: request.runId });
        }
    });
    let activeTracker;
    onControl?.({
        stop: async (reason) => {
            // The test that runs when the overall timeout passes has made the run
            // overstay, which is what a hang is; a cancelled one stays not-run.
            const id = activeTracker?.current();
            if (reason === 'timeout' && activeTracker && id !== undefined) {
                activeTracker.markHung(id, 'still running when the overall timeout passed', Date.now());
            }
            await runner.stop(reason);
        }
    });
    const phases = [];
    const buildErrors = [];
    let tests = [];
    let testsStarted = false;
    let testsFailed = false;
    for (const command of expandCommands(request.commands)) {
        const args = buildrumpArgs(request.dirs, request.jobs, request.userArgs, command);
        const tracker = new SuiteTracker();
        activeTracker = tracker;
        const watch = command === 'tests'
            ? new TestWatch({
                arch: request.arch,
                runId: request.runId,
                testTimeoutMs: request.testTimeoutMs,
                backtraces: request.backtraces,
                tracker,
                ui,
                dirs: request.dirs
            })
            : undefined;
        const result = await ui.group(`buildrump.sh ${command}`, async () => {
            ui.info(`Running ${[request.script, ...args].join(' ')}`);
            const invocation = await runner.invoke(command, args, tracker, watch);
            ui.info(`buildrump.sh ${command} ended with ${invocation.exitCode ?? invocation.signal} after ${formatDuration(invocation.durationMs)}`);
            return invocation;
        });
        const summary = tracker.summary();
        buildErrors.push(...summary.buildErrors);
        if (command === 'tests') {
            tests = watch ? watch.decorate(tracker.results()) : tracker.results();
            testsStarted = summary.suiteStarted;
        }
        const ok = result.exitCode === 0;
        phases.push({ name: command, durationMs: result.durationMs, ok });
        if (result.stopped) {
            return {
                phases,
                tests,
                buildErrors,
                stopped: result.stopped,
                testsStarted
            };
        }
        if (ok)
            continue;
        // A failed test phase still produced its results; anything else that
        // failed leaves nothing for later commands to work on.
        if (command === 'tests' && summary.suiteStarted) {
            testsFailed = true;
            continue;
        }
        const message = summary.die ??
            `exited with ${result.exitCode ?? result.signal} and printed no ">> ERROR:" message; the end of the log shows the cause`;
        return {
            phases,
            tests,
            buildErrors,
            failure: { command, message },
            testsStarted
        };
    }
    return { phases, tests, buildErrors, testsStarted, testsFailed };
}

// The work folder of one architecture: one run at a time, and objects that
// are reused only when they were built with the same toolchain.
const LOCK_FILE = 'run.lock';
const STAMP_FILE = '.rump-cross-toolchain.json';
function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        // EPERM: the process exists but belongs to someone else.
        return error.code === 'EPERM';
    }
}
/**
 * Takes the work folder for this process. Two runs in one folder would
 * overwrite each other's log, report and objects. Returns the release.
 */
async function lockArchFolder(archDir) {
    const lock = path.join(archDir, LOCK_FILE);
    try {
        await mkdir(archDir, { recursive: true });
    }
    catch (error) {
        throw new UserError(`Creating the work folder ${archDir} failed: ${errorMessage(error)}. Set RUNNER_TEMP to a writable folder.`);
    }
    // The pid goes into a file of its own first, which is then linked into
    // place: no other run can read the lock while it is still empty.
    const draft = `${lock}.${process.pid}`;
    await writeFile(draft, `${process.pid}\n`);
    try {
        for (let tries = 0; tries < 2; tries++) {
            try {
                await link(draft, lock);
                return () => rm(lock, { force: true });
            }
            catch (error) {
                if (error.code !== 'EEXIST')
                    throw error;
            }
            const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
            if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
                throw new UserError(`Another rump-cross run (pid ${owner}) is using the work folder ${archDir}. Wait for it to end, or give this run another RUNNER_TEMP.`);
            }
            // The run that left it has ended.
            await rm(lock, { force: true });
        }
    }
    finally {
        await rm(draft, { force: true });
    }
    throw new UserError(`The work folder ${archDir} could not be locked. Remove ${lock} if no rump-cross run is going on.`);
}
/**
 * Keeps the object and install folders of an earlier run of the same
 * toolchain, which makes a rerun on a laptop fast, and empties them when
 * another toolchain built them.
 */
async function prepareBuildFolders(dirs, stamp, ui) {
    const file = path.join(dirs.obj, STAMP_FILE);
    const expected = JSON.stringify(stamp);
    const found = await readFile(file, 'utf8').catch(() => undefined);
    if (found !== undefined && found.trim() === expected) {
        ui.info(`Reusing the objects of an earlier run in ${dirs.obj}; delete that folder for a clean build`);
        return;
    }
    if (found !== undefined) {
        ui.info(`The objects in ${dirs.obj} were built with another toolchain; starting clean`);
    }
    await rm(dirs.obj, { recursive: true, force: true });
    await rm(dirs.dest, { recursive: true, force: true });
    await mkdir(dirs.obj, { recursive: true });
    await mkdir(dirs.dest, { recursive: true });
    await writeFile(file, `${expected}\n`);
}

// Finds buildrump.sh and the NetBSD sources, cloning upstream when the
// given folder has no buildrump.sh.
const run$1 = promisify(execFile);
const UPSTREAM_URL = 'https://github.com/rumpkernel/buildrump.sh';
/** Limit for each git command of a clone, in milliseconds. */
const GIT_TIMEOUT_MS = 300_000;
function isFile(file) {
    return existsSync(file) && statSync(file).isFile();
}
async function cloneUpstream(folder, ref, ui) {
    ui.info(`Cloning ${UPSTREAM_URL} at ${ref} into ${folder}`);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    const git = (args) => run$1('git', args, { cwd: folder, timeout: GIT_TIMEOUT_MS });
    try {
        await git(['init', '-q']);
        await git(['fetch', '-q', '--depth', '1', UPSTREAM_URL, ref]);
        await git(['checkout', '-q', 'FETCH_HEAD']);
    }
    catch (error) {
        // A half clone would be taken for a checkout by the next run.
        await rm(folder, { recursive: true, force: true });
        throw new UserError(`Cloning buildrump.sh from ${UPSTREAM_URL} at ${ref} failed: ${errorMessage(error).trim()}. ` +
            'Without internet access, pass --buildrump-path (input buildrump-path) with a fetched buildrump.sh checkout that has its src folder.');
    }
}
/**
 * Returns the buildrump.sh to run: the one in `buildrumpPath`, or upstream
 * cloned at `ref` into `cloneFolder` when that folder has none. The user's
 * folder is never written to.
 */
async function locateBuildrump(request, ui) {
    const { buildrumpPath, buildrumpRef, cloneFolder } = request;
    if (!existsSync(buildrumpPath) || !statSync(buildrumpPath).isDirectory()) {
        throw new UserError(`buildrump-path "${buildrumpPath}" is not a folder. Set it to the folder that contains buildrump.sh, or leave it at its default (the workspace) to clone upstream when the workspace has none.`);
    }
    let script = path.join(buildrumpPath, 'buildrump.sh');
    let clonedRef;
    if (!isFile(script)) {
        ui.info(`No buildrump.sh in ${buildrumpPath}`);
        script = path.join(cloneFolder, 'buildrump.sh');
        if (!isFile(script))
            await cloneUpstream(cloneFolder, buildrumpRef, ui);
        else
            ui.info(`Using the clone from an earlier run in ${cloneFolder}`);
        clonedRef = buildrumpRef;
    }
    const srcPath = request.srcPath ?? path.join(path.dirname(script), 'src');
    const needsCheckout = !existsSync(path.join(srcPath, 'sys'));
    ui.info(`buildrump.sh: ${script}`);
    ui.info(needsCheckout
        ? `NetBSD sources: ${srcPath} has none, so "buildrump.sh checkout" fetches them first`
        : `NetBSD sources: ${srcPath}`);
    return { script, srcPath, clonedRef, needsCheckout };
}

// The ELF facts the host step reports: machine, class, byte order and
// dynamic loader, read with the shared reader in src/elf.ts.
// Names from the e_machine list of the System V gABI.
const MACHINE_NAMES = {
    3: 'Intel 80386',
    8: 'MIPS',
    20: 'PowerPC',
    21: 'PowerPC64',
    22: 'IBM S/390',
    40: 'ARM',
    62: 'x86-64',
    183: 'AArch64',
    243: 'RISC-V'
};
/**
 * Reads the ELF header and program headers of a file. Returns undefined when
 * the file is not ELF (a script, for example); throws when it cannot be read.
 */
async function readElf(file) {
    // The shared reader returns undefined for an unreadable file as well.
    await access(file, constants.R_OK);
    const header = readElfHeader(file);
    if (header === undefined)
        return undefined;
    const interpreter = readInterpreter(file);
    return {
        bits: header.bits,
        endianness: header.littleEndian ? 'little' : 'big',
        machine: header.machine,
        ...(interpreter === undefined ? {} : { interpreter })
    };
}
/**
 * Describes an ELF target for messages, such as
 * `PowerPC (e_machine 20), 32-bit big-endian`.
 */
function describeElf(info) {
    const name = MACHINE_NAMES[info.machine] ?? 'unknown machine';
    const layout = `${info.bits}-bit ${info.endianness}-endian`;
    return `${name} (e_machine ${info.machine}), ${layout}`;
}

// binfmt_misc patterns for the qemu-user targets rump-cross uses, copied
// from Debian's qemu-user-static 1:7.2+dfsg-7+deb12u18+b3 files
// /usr/lib/binfmt.d/qemu-<name>.conf: the amd64 package for every entry but
// i386 and x86_64, which only the arm64 package ships. The masks let a few
// header fields vary, such as EI_OSABI and ET_EXEC versus ET_DYN. The mips
// and mipsel masks also reject programs for the n32 ABI.
const BINFMT_PATTERNS = {
    ppc: {
        magic: '\\x7f\\x45\\x4c\\x46\\x01\\x02\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x14',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfc\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff'
    },
    ppc64: {
        magic: '\\x7f\\x45\\x4c\\x46\\x02\\x02\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x15',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfc\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff'
    },
    arm: {
        magic: '\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff'
    },
    aarch64: {
        magic: '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff'
    },
    mips: {
        magic: '\\x7f\\x45\\x4c\\x46\\x01\\x02\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x08\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xfe\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x20'
    },
    mipsel: {
        magic: '\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x08\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xfe\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x20'
    },
    mips64: {
        magic: '\\x7f\\x45\\x4c\\x46\\x02\\x02\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x08',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xfe\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff'
    },
    mips64el: {
        magic: '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x08\\x00',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xfe\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff'
    },
    riscv64: {
        magic: '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff'
    },
    i386: {
        magic: '\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x03\\x00',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xfe\\xfe\\xfc\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff'
    },
    x86_64: {
        magic: '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x3e\\x00',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xfe\\xfe\\xfc\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff'
    },
    s390x: {
        magic: '\\x7f\\x45\\x4c\\x46\\x02\\x02\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x16',
        mask: '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfc\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff'
    }
};
/** Returns the pattern for a qemu target, or undefined when there is none. */
function findBinfmtPattern(qemu) {
    return Object.hasOwn(BINFMT_PATTERNS, qemu)
        ? BINFMT_PATTERNS[qemu]
        : undefined;
}

// The seam between the host step and the machine it prepares. Tests replace
// the commands, the binfmt_misc folder, the user and the CPU to simulate
// other hosts.
const DEFAULT_BINFMT_ROOT = '/proc/sys/fs/binfmt_misc';
/** Runs a program without a shell and collects its output. */
function runCommand(command, args, options = {}) {
    return new Promise(resolve => {
        const child = spawn(command, args, {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            stdio: ['pipe', 'pipe', 'pipe']
        });
        const stdout = [];
        const stderr = [];
        let timedOut = false;
        let spawnError;
        const timer = options.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                child.kill('SIGKILL');
            }, options.timeoutMs);
        child.stdout.on('data', (chunk) => stdout.push(chunk));
        child.stderr.on('data', (chunk) => stderr.push(chunk));
        // A program that exits without reading its input closes the pipe early.
        child.stdin.on('error', () => { });
        child.on('error', (error) => {
            spawnError = error.code ?? error.message;
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolve({
                exitCode: spawnError === undefined ? code : null,
                signal,
                stdout: Buffer.concat(stdout).toString(),
                stderr: Buffer.concat(stderr).toString(),
                spawnError,
                timedOut
            });
        });
        child.stdin.end(options.input ?? '');
    });
}
/** Returns the HostSystem of the machine this process runs on. */
function defaultHostSystem() {
    const searchPath = (process.env.PATH ?? '').split(path.delimiter);
    for (const dir of ['/usr/local/bin', '/usr/bin', '/bin']) {
        if (!searchPath.includes(dir))
            searchPath.push(dir);
    }
    return {
        binfmtRoot: DEFAULT_BINFMT_ROOT,
        isRoot: process.getuid?.() === 0,
        hostArch: os$1.machine(),
        searchPath: searchPath.filter(dir => dir !== ''),
        run: runCommand
    };
}
/**
 * Returns the first executable file named one of `names`. Every folder is
 * searched for a name before the next name is tried.
 */
async function findProgram(system, names) {
    for (const name of names) {
        for (const dir of system.searchPath) {
            const file = path.join(dir, name);
            try {
                await access(file, constants.X_OK);
                return file;
            }
            catch {
                // Not in this folder; try the next one.
            }
        }
    }
    return undefined;
}
/** Runs a command as root, through `sudo -n` when this process is not root. */
function runAsRoot(system, command, args, options) {
    if (system.isRoot)
        return system.run(command, args, options);
    return system.run('sudo', ['-n', command, ...args], options);
}
/**
 * Writes `text` to a file as root in a single write, which is what the
 * binfmt_misc control files expect. Returns the error text, or undefined on
 * success.
 */
async function writeAsRoot(system, file, text) {
    if (system.isRoot) {
        try {
            await writeFile(file, text);
            return undefined;
        }
        catch (error) {
            return errorMessage(error);
        }
    }
    const result = await system.run('sudo', ['-n', 'tee', file], {
        input: text
    });
    return result.exitCode === 0 ? undefined : describeFailure(result);
}
/** Summarizes why a command failed, for error messages. */
function describeFailure(result, maxLines = 5) {
    if (result.spawnError !== undefined) {
        return `could not start (${result.spawnError})`;
    }
    if (result.timedOut)
        return 'timed out';
    const status = result.signal !== null
        ? `killed by ${result.signal}`
        : `exit code ${result.exitCode}`;
    const tail = lastLines(result.stderr, maxLines) || lastLines(result.stdout, maxLines);
    return tail === '' ? status : `${status}: ${tail}`;
}
function lastLines(text, count) {
    const lines = text
        .split('\n')
        .map(line => line.trim())
        .filter(line => line !== '');
    return lines.slice(-count).join(' | ');
}

// Makes sure the kernel hands programs of the target to qemu: binfmt_misc
// mounted, the target's entry present and enabled, and an interpreter that
// will work.
// Targets each host CPU (as `uname -m` names it) runs without emulation.
// 32-bit arm on an arm64 host always goes through qemu, because many arm64
// CPUs cannot run AArch32 code.
// NOTE: i386 on x86_64 assumes a kernel with IA32 emulation. Without it the
// smoke test fails and blames the toolchain.
const NATIVE_TARGETS = {
    x86_64: ['x86_64', 'i386'],
    amd64: ['x86_64', 'i386'],
    aarch64: ['aarch64'],
    arm64: ['aarch64'],
    i386: ['i386'],
    i486: ['i386'],
    i586: ['i386'],
    i686: ['i386'],
    armv7l: ['arm'],
    riscv64: ['riscv64'],
    s390x: ['s390x'],
    ppc: ['ppc'],
    ppc64: ['ppc64']
};
/** Returns whether the host runs programs of `arch` without qemu. */
function runsNatively(arch, hostArch) {
    return NATIVE_TARGETS[hostArch]?.includes(arch.qemu) ?? false;
}
/** Parses the text the kernel shows in `<binfmt_misc>/<name>`. */
function parseBinfmtEntry(name, text) {
    const lines = text.split('\n');
    const field = (key) => {
        const line = lines.find(l => l.startsWith(`${key} `) || l === key);
        return line?.slice(key.length).trim();
    };
    const hex = (value) => value === undefined ? undefined : Buffer.from(value, 'hex');
    return {
        name,
        enabled: lines[0]?.trim() === 'enabled',
        interpreter: field('interpreter') ?? '',
        flags: field('flags:') ?? '',
        offset: Number(field('offset') ?? 0),
        magic: hex(field('magic')) ?? Buffer.alloc(0),
        mask: hex(field('mask'))
    };
}
/** Reads one entry; returns undefined when it is not registered. */
async function readBinfmtEntry(root, name) {
    try {
        return parseBinfmtEntry(name, await readFile(path.join(root, name), 'utf8'));
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw error;
    }
}
/** Returns the enabled entries whose magic matches the start of a program. */
async function findMatchingEntries(root, header) {
    const names = (await readdir(root)).filter(name => name !== 'register' && name !== 'status');
    const entries = await Promise.all(names.map(name => readBinfmtEntry(root, name)));
    return entries.filter((entry) => entry !== undefined && entry.enabled && magicMatches(entry, header));
}
function magicMatches(entry, header) {
    if (entry.magic.length === 0)
        return false;
    for (let i = 0; i < entry.magic.length; i++) {
        const byte = header[entry.offset + i];
        if (byte === undefined)
            return false;
        const mask = entry.mask?.[i] ?? 0xff;
        if ((byte & mask) !== entry.magic[i])
            return false;
    }
    return true;
}
/**
 * Mounts binfmt_misc at the system's binfmt root unless its `status` file is
 * already there, and turns binfmt_misc on when it was switched off.
 */
async function ensureBinfmtMounted(ui, system) {
    const root = system.binfmtRoot;
    const statusFile = path.join(root, 'status');
    if (!(await exists(statusFile))) {
        ui.info(`binfmt_misc is not mounted at ${root}; mounting it`);
        const args = ['-t', 'binfmt_misc', 'binfmt_misc', root];
        const result = await runAsRoot(system, 'mount', args);
        if (result.exitCode !== 0 || !(await exists(statusFile))) {
            throw new UserError(`binfmt_misc is not mounted at ${root} and mounting it failed ` +
                `(mount ${args.join(' ')}: ${describeFailure(result)}). The job ` +
                'probably runs in an unprivileged container: start the container ' +
                'with --privileged (in a workflow, container options: ' +
                '--privileged) or run the job directly on the runner.');
        }
    }
    const status = (await readFile(statusFile, 'utf8')).trim();
    if (status === 'disabled') {
        ui.warning(`binfmt_misc is switched off (${statusFile}); switching it on`);
        const error = await writeAsRoot(system, statusFile, '1');
        if (error !== undefined) {
            throw new UserError(`binfmt_misc is switched off and writing 1 to ${statusFile} ` +
                `failed (${error}). Switch it on as root ` +
                `(echo 1 > ${statusFile}) and run again.`);
        }
    }
}
/**
 * Makes sure the entry `qemu-<target>` is registered and enabled, and checks
 * that its interpreter can start. Throws a UserError naming the entry and the
 * fix when it cannot be repaired.
 */
async function ensureBinfmtEntry(arch, qemu, ui, system) {
    const name = `qemu-${arch.qemu}`;
    const root = system.binfmtRoot;
    let entry = await readBinfmtEntry(root, name);
    if (entry === undefined) {
        ui.info(`binfmt_misc has no ${name} entry; registering it`);
        entry = await registerEntry(arch, name, qemu, ui, system);
    }
    else if (!entry.enabled) {
        ui.info(`binfmt_misc entry ${name} is disabled; enabling it`);
        entry = await enableEntry(name, ui, system);
    }
    ui.info(`binfmt_misc entry ${name}: enabled, interpreter ${entry.interpreter}, ` +
        `flags ${entry.flags === '' ? '(none)' : entry.flags}`);
    return {
        entry,
        interpreterStatic: await checkInterpreter(entry, root, ui)
    };
}
async function registerEntry(arch, name, qemu, ui, system) {
    const root = system.binfmtRoot;
    // Debian's way first: the format file that the qemu package installed.
    const imported = await runAsRoot(system, 'update-binfmts', ['--import', name]);
    const entry = await readBinfmtEntry(root, name);
    if (entry !== undefined) {
        return entry.enabled ? entry : enableEntry(name, ui, system);
    }
    ui.debug(`update-binfmts --import ${name}: ${describeFailure(imported)}`);
    const pattern = findBinfmtPattern(arch.qemu);
    if (pattern === undefined) {
        throw new UserError(`binfmt_misc has no ${name} entry and rump-cross has no pattern to ` +
            `register one for ${arch.name}. Register ${qemu} for it by hand ` +
            `(see ${root}/register), or install qemu-user-binfmt.`);
    }
    const line = `:${name}:M::${pattern.magic}:${pattern.mask}:${qemu}:F`;
    ui.info(`Registering ${name} with interpreter ${qemu} and flags F`);
    const error = await writeAsRoot(system, path.join(root, 'register'), line);
    const registered = await readBinfmtEntry(root, name);
    if (registered?.enabled)
        return registered;
    throw new UserError(`Registering the binfmt_misc entry ${name} failed ` +
        `(${error ?? 'the entry did not appear'}). Register it as root: ` +
        `echo '${line}' > ${root}/register`);
}
async function enableEntry(name, ui, system) {
    const file = path.join(system.binfmtRoot, name);
    // Writing 1 to the entry is the kernel's switch. update-binfmts --enable
    // would not do: binfmt-support 2.2.2 reports "already enabled in kernel"
    // for a disabled entry and leaves it disabled.
    const error = await writeAsRoot(system, file, '1');
    const entry = await readBinfmtEntry(system.binfmtRoot, name);
    if (entry?.enabled)
        return entry;
    ui.debug(`Entry ${name} after writing 1: ${entry ? 'disabled' : 'missing'}`);
    throw new UserError(`The binfmt_misc entry ${name} is disabled and enabling it failed ` +
        `(${error ?? 'it stayed disabled'}). Enable it as root ` +
        `(echo 1 > ${file}) and run again.`);
}
async function checkInterpreter(entry, root, ui) {
    const fixBinary = entry.flags.includes('F');
    let interpreter;
    try {
        const elf = await readElf(entry.interpreter);
        if (elf === undefined)
            return undefined;
        interpreter = elf.interpreter;
    }
    catch (error) {
        if (fixBinary) {
            // The kernel opened the file at registration and keeps using it.
            ui.debug(`Cannot read interpreter ${entry.interpreter}: ${errorMessage(error)}`);
            return undefined;
        }
        throw new UserError(`The binfmt_misc entry ${entry.name} names the interpreter ` +
            `${entry.interpreter}, which cannot be read (${errorMessage(error)}), ` +
            'so no program of this target can start. Reinstall ' +
            `qemu-user-static, or remove the entry (echo -1 > ` +
            `${path.join(root, entry.name)}) so that rump-cross registers it again.`);
    }
    if (interpreter === undefined)
        return true;
    if (!fixBinary) {
        ui.warning(`The binfmt_misc entry ${entry.name} uses the dynamically linked ` +
            `interpreter ${entry.interpreter} without the F flag, so foreign ` +
            'programs will not start inside a chroot or a container with ' +
            'another root. Install qemu-user-static to get a static interpreter ' +
            'registered with F.');
    }
    return false;
}
async function exists(file) {
    try {
        await access(file);
        return true;
    }
    catch {
        return false;
    }
}

// Installs the host packages a run needs, and only those that are missing.
/** Maximum time apt-get waits for the dpkg lock, in seconds. */
const DPKG_LOCK_TIMEOUT_SECONDS = 300;
// Debian's qemu 1:9.1.1 and later (Debian 13, and Ubuntu 25.10 by report)
// build qemu-user statically. There qemu-user-static only adds `-static`
// links and qemu-user-binfmt does the registration, so that pair is as good
// as qemu-user-static.
// NOTE: only the Debian 12 layout ran here. The other one is known from
// Debian's release notes and is covered by tests with a fake dpkg-query.
const QEMU_NEED = {
    install: 'qemu-user-static',
    satisfiedBy: [['qemu-user-static'], ['qemu-user', 'qemu-user-binfmt']]
};
const QEMU_SPLIT_PACKAGES = ['qemu-user', 'qemu-user-binfmt'];
/** Lists the packages a run needs on this host. */
function requiredPackages(request) {
    const needs = [];
    if (!request.native) {
        needs.push(QEMU_NEED, single('binfmt-support'));
    }
    needs.push(single('zlib1g-dev'));
    if (request.backtraces)
        needs.push(single('gdb-multiarch'));
    return needs;
}
function single(name) {
    return { install: name, satisfiedBy: [[name]] };
}
/**
 * Installs the missing packages with apt-get and returns their names. Runs
 * `apt-get update` only when apt-get cannot find a package, then retries
 * once.
 */
async function ensurePackages(request, ui, system) {
    const needs = requiredPackages(request);
    const installed = await queryInstalled(system, needs.flatMap(need => need.satisfiedBy.flat()));
    const missing = needs
        .filter(need => !need.satisfiedBy.some(set => set.every(name => installed.has(name))))
        .map(need => need.install);
    if (missing.length === 0) {
        ui.info(`Host packages already installed: ${needs.map(n => n.install).join(', ')}`);
        return [];
    }
    await checkSudo(system, missing);
    ui.info(`Installing ${missing.join(', ')} with apt-get (waits up to ` +
        `${DPKG_LOCK_TIMEOUT_SECONDS} s for the dpkg lock when another ` +
        'apt-get or unattended-upgrades holds it)');
    return installWithRetry(missing, ui, system);
}
/** Returns the names among `names` that dpkg reports as installed. */
async function queryInstalled(system, names) {
    const unique = [...new Set(names)];
    // dpkg-query exits 1 when some names are unknown but still prints the rest.
    const result = await system.run('dpkg-query', [
        '-W',
        '-f=${Package}\\t${Status}\\n',
        ...unique
    ]);
    if (result.spawnError !== undefined) {
        throw new UserError(`dpkg-query could not start (${result.spawnError}), so the host ` +
            'packages cannot be checked. rump-cross installs them with apt ' +
            'and needs a Debian or Ubuntu host, such as the ubuntu-* runners.');
    }
    const installed = new Set();
    for (const line of result.stdout.split('\n')) {
        const [name, status] = line.split('\t');
        // The status is "<want> <error> <state>", such as "install ok installed".
        if (name && status?.trim().split(/\s+/)[2] === 'installed') {
            installed.add(name);
        }
    }
    return installed;
}
async function checkSudo(system, missing) {
    if (system.isRoot)
        return;
    const result = await system.run('sudo', ['-n', 'true']);
    if (result.exitCode === 0)
        return;
    throw new UserError(`Installing ${missing.join(', ')} needs root, but this process is not ` +
        `root and passwordless sudo is not available (sudo -n true: ` +
        `${describeFailure(result)}). Run as root, allow passwordless sudo, ` +
        `or install them beforehand: sudo apt-get install -y ` +
        `--no-install-recommends ${missing.join(' ')}`);
}
async function installWithRetry(packages, ui, system) {
    let names = [...packages];
    let result = await aptGet(system, ui, installArgs(names));
    if (result.exitCode !== 0 && isNotFound(result)) {
        ui.info('apt-get cannot find a package; running apt-get update, then retrying once');
        const update = await aptGet(system, ui, ['update']);
        if (update.exitCode !== 0) {
            throw aptError('apt-get update', update, names);
        }
        result = await aptGet(system, ui, installArgs(names));
    }
    if (result.exitCode !== 0 &&
        isNotFound(result) &&
        names.includes(QEMU_NEED.install) &&
        output(result).includes(QEMU_NEED.install)) {
        names = names.flatMap(name => name === QEMU_NEED.install ? QEMU_SPLIT_PACKAGES : [name]);
        const split = QEMU_SPLIT_PACKAGES.join(' and ');
        ui.info(`No ${QEMU_NEED.install} package here; installing ${split}`);
        result = await aptGet(system, ui, installArgs(names));
    }
    if (result.exitCode !== 0) {
        throw aptError('apt-get install', result, names);
    }
    return names;
}
function installArgs(names) {
    return ['install', '-y', '--no-install-recommends', ...names];
}
async function aptGet(system, ui, args) {
    const aptArgs = [
        '-o',
        `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_SECONDS}`,
        ...args
    ];
    ui.info(`Running apt-get ${aptArgs.join(' ')}`);
    const result = system.isRoot
        ? await system.run('apt-get', aptArgs, {
            env: { DEBIAN_FRONTEND: 'noninteractive' }
        })
        : await system.run('sudo', [
            '-n',
            'env',
            'DEBIAN_FRONTEND=noninteractive',
            'apt-get',
            ...aptArgs
        ]);
    ui.output(output(result)
        .split('\n')
        .filter(line => line !== ''));
    return result;
}
function output(result) {
    return `${result.stdout}\n${result.stderr}`;
}
function isNotFound(result) {
    return /Unable to locate package|has no installation candidate/.test(output(result));
}
function isLocked(result) {
    return /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock the administration directory/.test(output(result));
}
function aptError(command, result, names) {
    const detail = describeFailure(result);
    if (isLocked(result)) {
        return new UserError(`${command} could not get the dpkg lock within ` +
            `${DPKG_LOCK_TIMEOUT_SECONDS} s (${detail}). Another package ` +
            'manager, often unattended-upgrades on a fresh runner, still holds ' +
            'it. Wait for it to finish or stop it, then run the job again.');
    }
    return new UserError(`${command} failed while installing ${names.join(', ')} (${detail}). ` +
        'Check the ' +
        'apt sources and the network, or install the packages before this ' +
        `step: apt-get install -y --no-install-recommends ${names.join(' ')}`);
}

/**
 * Returns the path of `qemu-<target>-static`, or of `qemu-<target>` where
 * qemu-user is itself static (Debian 13, Ubuntu 25.10). Throws a UserError
 * when neither is installed.
 */
async function findQemu(arch, system) {
    const names = [`qemu-${arch.qemu}-static`, `qemu-${arch.qemu}`];
    const found = await findProgram(system, names);
    if (found !== undefined)
        return found;
    throw new UserError(`No qemu-user emulator for ${arch.name} was found (looked for ` +
        `${names.join(' and ')} in ${system.searchPath.join(':')}). Install ` +
        'qemu-user-static (apt-get install -y --no-install-recommends ' +
        'qemu-user-static), or use a host where it is available.');
}
/**
 * Returns the version that `qemu --version` prints on its first line, such
 * as `7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)`.
 */
async function readQemuVersion(qemu, system) {
    const result = await system.run(qemu, ['--version'], { timeoutMs: 30_000 });
    const firstLine = result.stdout.split('\n')[0]?.trim() ?? '';
    if (result.exitCode !== 0 || firstLine === '') {
        throw new UserError(`The emulator ${qemu} does not run (${qemu} --version: ` +
            `${describeFailure(result)}). Reinstall qemu-user-static.`);
    }
    const match = /\bversion\s+(.+)$/.exec(firstLine);
    return match ? match[1] : firstLine;
}

// Proves that the toolchain and the emulator work together before a long
// build: compile a tiny static program, check its machine, and run it.
const SOURCE = `#include <stdio.h>

int main(void) {
  unsigned int one = 1;
  const char *order = *(unsigned char *)&one == 1 ? "little" : "big";
  printf("rump-cross smoke test: %s-endian %d-bit\\n", order,
         (int)(sizeof(void *) * 8));
  return 0;
}
`;
const COMPILE_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 60_000;
/** Returns the line the smoke program prints on a correct target. */
function expectedSmokeOutput(arch) {
    return `rump-cross smoke test: ${arch.endianness}-endian ${arch.bits}-bit`;
}
/**
 * Compiles and runs the smoke program. Throws a UserError that names the
 * broken part: the compiler, the emulator or the binfmt_misc registration.
 */
async function runSmokeTest(request, ui, system) {
    const started = Date.now();
    ui.info(`Smoke test: building a static program with ${request.cc}`);
    const program = await compileSmokeProgram(request, system);
    await checkMachine(request, program);
    const direct = await runDirectly(program, system);
    const expected = expectedSmokeOutput(request.arch);
    if (succeeded(direct, expected)) {
        ui.info(`Smoke test passed: ${path.basename(program)} printed "${expected}" ` +
            `(${formatDuration(Date.now() - started)})`);
        return;
    }
    ui.output(`${direct.stdout}\n${direct.stderr}`.split('\n').filter(Boolean));
    if (request.qemu === undefined) {
        throw new UserError(`The smoke program ${program}, built by ${request.cc} for ` +
            `${request.arch.name}, does not run on this host ` +
            `(${describeDirectRun(direct, expected)}). The compiler or its C ` +
            'library produces broken programs: check the toolchain.');
    }
    const emulated = await system.run(request.qemu, [program], {
        cwd: request.workDir,
        timeoutMs: RUN_TIMEOUT_MS
    });
    if (!succeeded(emulated, expected)) {
        throw new UserError(`The emulator failed: the smoke program ${program} runs neither when ` +
            `started directly (${describeDirectRun(direct, expected)}) nor under ` +
            `${request.qemu} (${describeRun(emulated, expected)}). Check that ` +
            `${request.qemu} works for ${request.arch.name} (a newer ` +
            'qemu-user-static may help), and that the toolchain targets a CPU ' +
            'that qemu emulates.');
    }
    throw await registrationError(request, program, direct, system);
}
async function compileSmokeProgram(request, system) {
    await mkdir(request.workDir, { recursive: true });
    const source = path.join(request.workDir, 'smoke.c');
    const program = path.join(request.workDir, 'smoke');
    await writeFile(source, SOURCE);
    const result = await system.run(request.cc, ['-static', '-o', program, source], { cwd: request.workDir, timeoutMs: COMPILE_TIMEOUT_MS });
    if (result.exitCode !== 0) {
        throw new UserError(`The compiler failed: ${request.cc} could not build the static smoke ` +
            `program ${source} (${describeFailure(result)}). Check that it is a ` +
            `working ${request.arch.triple} cross compiler with a static C library.`);
    }
    return program;
}
async function checkMachine(request, program) {
    const { arch, cc } = request;
    const elf = await readElf(program);
    const matches = elf !== undefined &&
        elf.machine === arch.elfMachine &&
        elf.bits === arch.bits &&
        elf.endianness === arch.endianness;
    if (matches)
        return;
    const actual = elf === undefined ? 'a file that is not ELF' : describeElf(elf);
    const expected = describeElf({
        machine: arch.elfMachine,
        bits: arch.bits,
        endianness: arch.endianness
    });
    throw new UserError(`The compiler builds for the wrong target: ${cc} produced ${actual}, but ` +
        `${arch.name} needs ${expected}. Use a ${arch.triple} toolchain ` +
        '(toolchain-path or toolchain-url).');
}
// Started through bash because Node's spawn, like execvp, hands a file that
// the kernel rejects with ENOEXEC to /bin/sh, which would then try to read
// the ELF program as a script. bash reports "Exec format error" instead.
function runDirectly(program, system) {
    return system.run('bash', ['-c', 'exec "$0"', program], {
        cwd: path.dirname(program),
        timeoutMs: RUN_TIMEOUT_MS
    });
}
function succeeded(result, expected) {
    return result.exitCode === 0 && result.stdout.trim() === expected;
}
// Messages bash prints when execve fails, before any program output.
const EXEC_ERRORS = /Exec format error|required file not found|No such file or directory|Permission denied/;
function describeRun(result, expected) {
    if (result.exitCode !== 0)
        return describeFailure(result);
    const printed = result.stdout.trim().split('\n')[0] ?? '';
    return `printed "${printed}" instead of "${expected}"`;
}
/** Describes a direct run, keeping only the exec error that bash reports. */
function describeDirectRun(result, expected) {
    const execError = EXEC_ERRORS.exec(result.stderr);
    if (result.exitCode === null || execError === null) {
        return describeRun(result, expected);
    }
    return `exit code ${result.exitCode}: ${execError[0]}`;
}
async function registrationError(request, program, direct, system) {
    const name = `qemu-${request.arch.qemu}`;
    const root = system.binfmtRoot;
    const entries = await findMatchingEntries(root, await readHeader(program));
    const listed = entries.length === 0
        ? 'none'
        : entries.map(e => `${e.name} (interpreter ${e.interpreter})`).join(', ');
    const others = entries.filter(e => e.name !== name);
    const fix = others.length > 0
        ? `Remove the entries that catch the program before ${name} ` +
            `(${others.map(e => `echo -1 > ${path.join(root, e.name)}`).join('; ')}) ` +
            'and run again.'
        : `Re-register ${name} (update-binfmts --import ${name}, or remove ` +
            `${path.join(root, name)} with echo -1 and run again).`;
    return new UserError(`The binfmt_misc registration is broken: the smoke program ${program} ` +
        `runs under ${request.qemu} but not when started directly ` +
        `(${describeDirectRun(direct, expectedSmokeOutput(request.arch))}). ` +
        `Enabled entries matching it: ${listed}. ${fix}`);
}
async function readHeader(program) {
    const handle = await open$1(program, 'r');
    try {
        const buffer = Buffer.alloc(128);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        return buffer.subarray(0, bytesRead);
    }
    finally {
        await handle.close();
    }
}

/**
 * Prepares the host to build for and run programs of `request.arch`:
 * installs missing packages, makes binfmt_misc hand the target's programs to
 * qemu, and runs a static test program built with `request.cc`. Throws a
 * UserError that names the broken part and the fix.
 */
async function prepareHost(request, ui, system = defaultHostSystem()) {
    const started = Date.now();
    const { arch } = request;
    const native = runsNatively(arch, system.hostArch);
    ui.info(native
        ? `${arch.name} programs run natively on this ${system.hostArch} host`
        : `${arch.name} programs run under qemu-${arch.qemu} on this ` +
            `${system.hostArch} host`);
    const installed = await ensurePackages({ native, backtraces: request.backtraces }, ui, system);
    if (native) {
        await runSmokeTest(request, ui, system);
        ui.info(`Host ready in ${formatDuration(Date.now() - started)}`);
        return { qemuVersion: '', qemuBinary: '', native, installed };
    }
    const qemuBinary = await findQemu(arch, system);
    const qemuVersion = await readQemuVersion(qemuBinary, system);
    ui.info(`Emulator: ${qemuBinary}, version ${qemuVersion}`);
    await ensureBinfmtMounted(ui, system);
    const binfmt = await ensureBinfmtEntry(arch, qemuBinary, ui, system);
    await runSmokeTest({ ...request, qemu: qemuBinary }, ui, system);
    ui.info(`Host ready in ${formatDuration(Date.now() - started)}`);
    return {
        qemuVersion,
        qemuBinary,
        interpreter: binfmt.entry.interpreter,
        binfmtFlags: binfmt.entry.flags,
        interpreterStatic: binfmt.interpreterStatic,
        native,
        installed
    };
}

// Annotations for one run: the problems a user should see first on the
// workflow run page, kept within GitHub's per-step limits.
/** GitHub shows at most this many annotations of each type per step. */
const MAX_ANNOTATIONS_PER_TYPE = 10;
/** Maximum size of one annotation message in UTF-8 bytes, marker included. */
const MAX_ANNOTATION_BYTES = 4000;
const CUT_MARKER = '\n[cut to stay under 4 KB; the job summary and the log have the rest]';
const OUTPUT_BYTES = 1600;
const BACKTRACE_LINES = 40;
const LINE_CHARS = 200;
/** Keeps the last lines of text that fit in maxBytes. */
function tailWithin(lines, maxBytes) {
    const tail = [];
    let size = 0;
    for (const line of [...lines].reverse()) {
        size += utf8Length(line) + 1;
        if (size > maxBytes)
            break;
        tail.unshift(line);
    }
    return tail;
}
function testMessage(test) {
    const parts = [];
    if (test.reason)
        parts.push(truncateLine(test.reason, 300));
    const output = cleanLines(test.output)
        .slice(-20)
        .map(line => truncateLine(line, LINE_CHARS));
    const tail = tailWithin(output, OUTPUT_BYTES);
    if (tail.length > 0) {
        parts.push(`Last ${tail.length} lines of output:\n${tail.join('\n')}`);
    }
    for (const backtrace of test.backtraces) {
        const lines = cleanLines(backtrace.text.split('\n'));
        const head = lines
            .slice(0, BACKTRACE_LINES)
            .map(line => truncateLine(line, LINE_CHARS));
        const more = lines.length > head.length ? '\n...' : '';
        parts.push(`Backtrace of ${backtrace.program}:\n${head.join('\n')}${more}`);
    }
    if (parts.length === 0)
        parts.push(`${test.id} ${test.outcome}`);
    return truncateUtf8(parts.join('\n\n'), MAX_ANNOTATION_BYTES, CUT_MARKER);
}
function testAnnotation(arch, test, suffix = '') {
    const label = `${test.id} ${test.outcome}`;
    return {
        message: testMessage(test),
        properties: { title: `${arch}: ${label}${suffix}` },
        label
    };
}
/**
 * Returns the path GitHub can link for a build error: relative to the
 * workspace, with forward slashes. Returns undefined for a file outside the
 * workspace or a relative path without srcPath to resolve it against.
 */
function workspacePath(file, workspace, srcPath) {
    if (!workspace)
        return undefined;
    let absolute;
    if (path.isAbsolute(file))
        absolute = file;
    else if (srcPath)
        absolute = path.resolve(srcPath, file);
    else
        return undefined;
    const relative = path.relative(path.resolve(workspace), absolute);
    const outside = relative === '' ||
        relative === '..' ||
        relative.startsWith(`..${path.sep}`) ||
        path.isAbsolute(relative);
    return outside ? undefined : relative.split(path.sep).join('/');
}
function location(error) {
    if (!error.file)
        return '';
    const line = error.line ? `:${error.line}` : '';
    const column = error.line && error.column ? `:${error.column}` : '';
    return `${error.file}${line}${column}`;
}
function buildErrorAnnotation(arch, error, options) {
    const where = location(error);
    const label = where ? `build error at ${where}` : 'build error';
    const title = `${arch}: build error`;
    const message = truncateUtf8(cleanLines([error.message]).join('\n'), MAX_ANNOTATION_BYTES, CUT_MARKER);
    const file = error.file
        ? workspacePath(error.file, options.workspace, options.srcPath)
        : undefined;
    if (file === undefined) {
        // GitHub cannot link the file, so the message names it instead.
        const named = where ? `${where}: ${message}` : message;
        return {
            message: truncateUtf8(named, MAX_ANNOTATION_BYTES, CUT_MARKER),
            properties: { title },
            label
        };
    }
    return {
        message,
        properties: {
            title,
            file,
            startLine: error.line,
            startColumn: error.line ? error.column : undefined
        },
        label
    };
}
function nowPassingAnnotation(arch, issue) {
    const line = `${issue.test}: ${issue.kind}`;
    return {
        message: `known-issues lists "${line}", but ${issue.test} passed on ${arch}. Remove the line from known-issues so that a new failure of this test fails the step.`,
        properties: { title: `${arch}: ${issue.test} passes` },
        label: `${issue.test} passes`
    };
}
/**
 * Emits up to max annotations. When there are more, the last one emitted
 * lists the rest by label. Returns how many were emitted.
 */
function emitCapped(pending, max, arch, emit) {
    if (max <= 0 || pending.length === 0)
        return 0;
    if (pending.length <= max) {
        for (const item of pending)
            emit(item.message, item.properties);
        return pending.length;
    }
    const emitted = pending.slice(0, max - 1);
    const rest = pending.slice(max - 1);
    for (const item of emitted)
        emit(item.message, item.properties);
    const list = rest.map(item => item.label).join(', ');
    emit(truncateUtf8(`and ${rest.length} more: ${list}`, MAX_ANNOTATION_BYTES, CUT_MARKER), { title: `${arch}: ${rest.length} more` });
    return max;
}
/**
 * Emits the annotations of one run: an error for each unexpected problem
 * (hung, crashed, failed tests first, then build errors in log order), a
 * warning for each expected one and a notice for each known issue that now
 * passes. Each type stays within GitHub's limit: past it, the last annotation
 * of the type lists the rest.
 */
function annotate(report, ui, options = {}) {
    const resolved = {
        ...options,
        workspace: options.workspace ?? process.env.GITHUB_WORKSPACE
    };
    const arch = report.arch;
    const problems = report.tests.filter(test => isProblem(test.outcome));
    const errors = [
        ...problems
            .filter(test => !test.expected)
            .sort(byProblemRank)
            .map(test => testAnnotation(arch, test)),
        ...[...report.buildErrors]
            .sort((a, b) => a.logLine - b.logLine)
            .map(error => buildErrorAnnotation(arch, error, resolved))
    ];
    const warnings = problems
        .filter(test => test.expected)
        .sort(byProblemRank)
        .map(test => testAnnotation(arch, test, ' (known issue)'));
    const notices = findNowPassing(report.tests, report.knownIssues ?? []).map(issue => nowPassingAnnotation(arch, issue));
    const maxErrors = options.maxErrors ?? MAX_ANNOTATIONS_PER_TYPE - 1;
    const maxWarnings = options.maxWarnings ?? MAX_ANNOTATIONS_PER_TYPE;
    return {
        errors: emitCapped(errors, maxErrors, arch, (m, a) => ui.error(m, a)),
        warnings: emitCapped(warnings, maxWarnings, arch, (m, a) => ui.warning(m, a)),
        notices: emitCapped(notices, maxWarnings, arch, (m, a) => ui.notice(m, a))
    };
}

// The outcome of a whole run, for the `outcome` output and the report.
/** Counts the results of each outcome; every outcome has a count. */
function countOutcomes(tests) {
    const counts = Object.fromEntries(TEST_OUTCOMES.map(outcome => [outcome, 0]));
    for (const test of tests)
        counts[test.outcome]++;
    return counts;
}
/**
 * Decides the outcome of a run: setup-failed first, then the worst
 * unexpected test result in the order hung, crashed, failed, then
 * build-failed when a buildrump.sh command failed. A run that was stopped,
 * or whose test command failed without any test result to explain it, is
 * failed. Expected results never fail a run.
 *
 * The exit status decides about the build, not the error-like lines it
 * printed: a successful build may print lines that look like errors
 * (configure probes, warnings named after -Werror options).
 */
function runOutcome(facts) {
    if (facts.setupFailed)
        return 'setup-failed';
    const unexpected = facts.tests.filter(test => !test.expected);
    for (const problem of PROBLEM_OUTCOMES) {
        if (unexpected.some(test => test.outcome === problem)) {
            return problem;
        }
    }
    if (facts.buildFailed)
        return 'build-failed';
    if (facts.stopped)
        return 'failed';
    // testrump.sh exits non-zero for every failed test, expected ones too.
    const explained = facts.tests.some(test => PROBLEM_OUTCOMES.includes(test.outcome));
    if (facts.testsFailed && !explained)
        return 'failed';
    return 'passed';
}

// Turns what the job recorded into its report, and publishes that report:
// JSON file, outputs, annotations, job summary and artifact.
const LOG_TAIL_LINES = 60;
async function readLogTail(file) {
    try {
        const text = await readFile(file, 'utf8');
        return text.split('\n').slice(-LOG_TAIL_LINES);
    }
    catch {
        return [];
    }
}
function describeError(record, outcome) {
    if (record.setupFailure)
        return record.setupFailure;
    if (record.stopped === 'timeout') {
        return `The run timed out after ${formatDuration(record.inputs.timeoutMs)} and was stopped; the test running then is reported as hung and the tests after it as not-run. Raise the timeout input, or lower test-timeout so that a hung test ends sooner.`;
    }
    if (record.stopped === 'cancelled') {
        return 'The run was cancelled; tests that had not finished are reported as not-run.';
    }
    if (record.buildFailure)
        return record.buildFailure;
    if (outcome === 'passed')
        return undefined;
    const problems = record.tests
        .filter(t => !t.expected && ['failed', 'hung', 'crashed'].includes(t.outcome))
        .map(t => `${t.id} ${t.outcome}`);
    if (problems.length === 0 && record.testsFailed) {
        return `${record.inputs.arch.name}: buildrump.sh tests exited with an error although no test failed. See the end of the log ${record.logFile}.`;
    }
    return problems.length > 0
        ? `${record.inputs.arch.name}: ${problems.join(', ')}. See the test results and the log ${record.logFile}.`
        : `${record.inputs.arch.name}: ${outcome}. See the log ${record.logFile}.`;
}
/** Builds the report from the record. */
function buildReport(record) {
    const { arch, knownIssues } = record.inputs;
    applyKnownIssues(record.tests, knownIssues);
    const outcome = runOutcome({
        setupFailed: record.setupFailure !== undefined,
        buildFailed: record.buildFailure !== undefined,
        testsFailed: record.testsFailed,
        stopped: record.stopped,
        suiteStarted: record.testsStarted === true,
        buildErrors: record.buildErrors,
        tests: record.tests
    });
    const tc = record.toolchain;
    return {
        schemaVersion: REPORT_SCHEMA_VERSION,
        arch: arch.name,
        triple: arch.triple,
        netbsdMachine: arch.netbsdMachine,
        qemuVersion: record.host?.qemuVersion || undefined,
        toolchain: tc && {
            path: tc.dir,
            cc: tc.cc,
            gccVersion: tc.gccVersion,
            source: tc.source,
            cacheHit: tc.cacheHit
        },
        outcome,
        error: describeError(record, outcome),
        startedAt: record.startedAt.toISOString(),
        durationMs: Date.now() - record.startedAt.getTime(),
        phases: record.phases,
        tests: record.tests,
        counts: countOutcomes(record.tests),
        buildErrors: record.buildErrors,
        knownIssues,
        log: record.logFile
    };
}
function setOutputs(report, record, ui) {
    const outputs = {
        outcome: report.outcome,
        'tests-passed': report.counts.passed,
        'tests-failed': report.counts.failed,
        'tests-hung': report.counts.hung,
        'tests-crashed': report.counts.crashed,
        'tests-skipped': report.counts.skipped,
        report: record.reportFile,
        log: record.logFile,
        triple: report.triple,
        'netbsd-machine': report.netbsdMachine,
        'qemu-version': report.qemuVersion ?? '',
        'toolchain-path': record.toolchain?.dir ?? '',
        cc: record.toolchain?.cc ?? '',
        'cache-hit': record.toolchain?.cacheHit ?? false
    };
    for (const [name, value] of Object.entries(outputs))
        ui.setOutput(name, value);
}
/** Files of the artifact: the log, the report and the guest cores. */
function artifactFiles(report, record) {
    const files = [record.logFile, record.reportFile];
    for (const test of report.tests) {
        for (const trace of test.backtraces) {
            files.push(trace.core);
            if (trace.program)
                files.push(trace.program);
        }
    }
    return [...new Set(files)];
}
/**
 * Writes and publishes the report. Reporting problems become warnings: the
 * results of the run matter more than any one way of showing them.
 */
async function finishReport(record, ui, artifacts = new GitHubArtifactService()) {
    const report = buildReport(record);
    return ui.group('Report', async () => {
        await writeReport(record.reportFile, report);
        ui.info(`Report: ${record.reportFile}`);
        setOutputs(report, record, ui);
        annotate(report, ui, {
            workspace: record.workspace,
            srcPath: record.srcPath
        });
        const logTail = report.outcome === 'passed' ? [] : await readLogTail(record.logFile);
        const artifactName = `${RUN_ARTIFACT_PREFIX}${report.arch}`;
        try {
            await ui.appendSummary(renderSummary(report, { logTail, artifactName }));
        }
        catch (error) {
            ui.warning(`Writing the job summary failed: ${errorMessage(error)}. The report ${record.reportFile} has the same results.`);
        }
        if (record.inputs.uploadLogs) {
            await uploadRunArtifact(artifactName, artifactFiles(report, record), path.dirname(path.dirname(record.logFile)), ui, artifacts);
        }
        return report;
    });
}

/**
 * Stops the run on SIGINT or SIGTERM (a cancelled job) and when the overall
 * timeout passes. During buildrump.sh a stop ends its whole process tree.
 * Before it, the step under way is abandoned at once (see `race`) so that
 * the report is written within the few seconds a cancelled job has.
 * A second signal ends the process the default way.
 */
class StopSwitch {
    ui;
    timeoutMs;
    reason;
    /** Rejects with a UserError when a stop is requested. */
    stopped;
    reject;
    control;
    timer;
    onSignal = (signal) => {
        if (this.reason !== undefined) {
            this.dispose();
            process.kill(process.pid, signal);
            return;
        }
        this.ui.warning(`Received ${signal}: stopping the run and writing the report`);
        void this.stop('cancelled');
    };
    constructor(ui, timeoutMs) {
        this.ui = ui;
        this.timeoutMs = timeoutMs;
        this.stopped = new Promise((_resolve, reject) => {
            this.reject = reject;
        });
        // No step may be waiting on it when the stop comes; this handles the
        // rejection then.
        this.stopped.catch(() => undefined);
        process.on('SIGINT', this.onSignal);
        process.on('SIGTERM', this.onSignal);
        if (timeoutMs > 0) {
            this.timer = setTimeout(() => {
                this.ui.warning(`The run timed out after ${formatDuration(timeoutMs)}: stopping it and writing the report`);
                void this.stop('timeout');
            }, timeoutMs);
        }
    }
    attach(control) {
        this.control = control;
        if (this.reason)
            void control.stop(this.reason);
    }
    /**
     * Returns the result of a setup step, or rejects as soon as a stop is
     * requested. An abandoned step may go on in the background (an apt-get
     * that is better not killed halfway); the caller exits when the report is
     * written.
     */
    race(step) {
        return Promise.race([step, this.stopped]);
    }
    async stop(reason) {
        if (this.reason)
            return;
        this.reason = reason;
        this.reject(new UserError(reason === 'timeout'
            ? `The run timed out after ${formatDuration(this.timeoutMs)}, before buildrump.sh started. Raise the timeout input.`
            : 'The run was cancelled before buildrump.sh started.'));
        await this.control?.stop(reason);
    }
    dispose() {
        process.off('SIGINT', this.onSignal);
        process.off('SIGTERM', this.onSignal);
        if (this.timer)
            clearTimeout(this.timer);
    }
}

// Finding the C compiler for the target in an extracted or installed
// toolchain, and asking it what it is.
const run = promisify(execFile);
// Number of folder levels below the given folder that are searched for
// `bin/`. The archive's top folder (`<triple>-cross/`, `<vendor-triple>/`)
// is one level.
const SEARCH_DEPTH = 2;
/** Returns the tool prefixes a toolchain for `arch` may use, in order of preference. */
function toolPrefixes(arch) {
    return [`${arch.triple}-`, `${arch.vendorTriple}-`];
}
async function isExecutableFile(file) {
    try {
        const stat = await fs$1.stat(file);
        await fs$1.access(file, fs$1.constants.X_OK);
        return stat.isFile();
    }
    catch {
        return false;
    }
}
async function isDirectory(dir) {
    try {
        return (await fs$1.stat(dir)).isDirectory();
    }
    catch {
        return false;
    }
}
/**
 * Lists candidate toolchain folders: `root` itself (or its parent when root
 * is a `bin/` folder), then real subfolders up to SEARCH_DEPTH levels down.
 * Symbolic links to folders are not followed, so a link to `/` cannot make
 * the search walk the whole file system.
 */
async function candidateFolders(root) {
    const folders = [root];
    if (path.basename(root) === 'bin')
        folders.unshift(path.dirname(root));
    let level = [root];
    for (let depth = 0; depth < SEARCH_DEPTH; depth++) {
        const next = [];
        for (const dir of level) {
            let entries;
            try {
                entries = await fs$1.readdir(dir, { withFileTypes: true });
            }
            catch {
                continue;
            }
            for (const entry of entries) {
                if (entry.isDirectory() && entry.name !== 'bin') {
                    next.push(path.join(dir, entry.name));
                }
            }
        }
        next.sort();
        folders.push(...next);
        level = next;
    }
    return folders;
}
/** Names in a `bin/` folder that are C compilers: `*-gcc`, not `*-gcc-ar` or `*-gcc-12`. */
function compilerNames(names) {
    return names.filter(name => name.endsWith('-gcc')).sort();
}
/**
 * Finds `bin/<triple>-gcc` or `bin/<vendor-triple>-gcc` in `root` or in a
 * folder up to two levels below it. Throws UserError listing the `bin/`
 * folders found and what they contain when there is no compiler for `arch`.
 */
async function findCompiler(root, arch) {
    const prefixes = toolPrefixes(arch);
    const seen = [];
    for (const dir of await candidateFolders(root)) {
        const binDir = path.join(dir, 'bin');
        if (!(await isDirectory(binDir)))
            continue;
        for (const prefix of prefixes) {
            const cc = path.join(binDir, `${prefix}gcc`);
            if (await isExecutableFile(cc))
                return { dir, binDir, prefix, cc };
        }
        seen.push(binDir);
    }
    throw new UserError(`No C compiler for ${arch.triple} in ${root}: expected an executable bin/${prefixes[0]}gcc or bin/${prefixes[1]}gcc. ${await describeBinFolders(seen)} Use a toolchain built for ${arch.triple}, or set arch to the target this toolchain is for.`);
}
async function describeBinFolders(binDirs) {
    if (binDirs.length === 0) {
        return `There is no bin/ folder within ${SEARCH_DEPTH} levels.`;
    }
    const lines = [];
    for (const binDir of binDirs.slice(0, 5)) {
        const names = (await fs$1.readdir(binDir).catch(() => [])).sort();
        const compilers = compilerNames(names);
        const listing = names.slice(0, 30).join(', ') + (names.length > 30 ? ', ...' : '');
        lines.push(`${binDir} contains ${names.length} entries` +
            (compilers.length
                ? ` (compilers: ${compilers.join(', ')})`
                : ' (no *-gcc)') +
            (names.length ? `: ${listing}.` : '.'));
    }
    return lines.join(' ');
}
/** Returns the version, such as `11.2.1`, from the first line of `gcc --version`. */
function parseGccVersion(versionOutput) {
    const first = versionOutput.split('\n')[0] ?? '';
    const afterParen = /\)\s+(\d+\.\d+(?:\.\d+)?)/.exec(first);
    if (afterParen)
        return afterParen[1];
    return /\b(\d+\.\d+(?:\.\d+)?)\b/.exec(first)?.[1];
}
/**
 * Runs `cc --version` and `cc -dumpmachine`. Throws UserError when the
 * compiler does not run, does not look like gcc or clang (buildrump.sh
 * requires one of them), or targets another CPU than `arch`.
 */
async function probeCompiler(cc, arch) {
    let versionOutput;
    let dumpMachine;
    try {
        versionOutput = (await run(cc, ['--version'], { timeout: 60_000 })).stdout;
        dumpMachine = (await run(cc, ['-dumpmachine'], { timeout: 60_000 })).stdout.trim();
    }
    catch (error) {
        throw new UserError(`The compiler ${cc} could not be run: ${errorMessage(error)}. The toolchain may be built for another host, or be incomplete.`);
    }
    const firstLine = versionOutput.split('\n')[0]?.trim() ?? '';
    const gccVersion = parseGccVersion(versionOutput);
    if (!/gcc|clang|Free Software Foundation/i.test(versionOutput) ||
        !gccVersion) {
        throw new UserError(`${cc} --version printed "${firstLine}", which does not look like gcc or clang. buildrump.sh needs one of them; use a gcc-based musl toolchain.`);
    }
    const expectedCpu = arch.triple.split('-')[0];
    const actualCpu = dumpMachine.split('-')[0];
    if (actualCpu !== expectedCpu) {
        throw new UserError(`${cc} -dumpmachine printed "${dumpMachine}", but ${arch.name} needs a compiler for ${expectedCpu} (${arch.triple}). Use a toolchain for ${arch.triple}, or set arch to the target this compiler is for.`);
    }
    return { gccVersion, dumpMachine };
}
/**
 * Finds and runs the compiler for `arch` below `root`, and logs what it is.
 * Throws UserError as findCompiler and probeCompiler do.
 */
async function inspectToolchain(root, arch, ui) {
    const found = await findCompiler(root, arch);
    const facts = await probeCompiler(found.cc, arch);
    ui.info(`Compiler ${found.cc}: gcc ${facts.gccVersion}, -dumpmachine ${facts.dumpMachine}`);
    if (`${facts.dumpMachine}-` !== found.prefix) {
        ui.debug(`The tool prefix ${found.prefix} differs from -dumpmachine ${facts.dumpMachine}, so CC, AR, NM and the other tools are passed to buildrump.sh by path.`);
    }
    return { ...found, ...facts };
}

// URL helpers shared by the source list, the downloads and the log lines.
const SECRET_QUERY_NAME = /token|secret|password|passwd|signature|sig|credential|auth|key/i;
/**
 * Replaces credentials in a URL with `***` so that it can be logged: the
 * user name and password, and the values of query parameters whose names
 * look like tokens or signatures (as in presigned object store URLs).
 * Text that is not a URL is returned unchanged.
 */
function maskUrl(text) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return text;
    }
    if (url.username)
        url.username = '***';
    if (url.password)
        url.password = '***';
    for (const name of [...url.searchParams.keys()]) {
        if (SECRET_QUERY_NAME.test(name))
            url.searchParams.set(name, '***');
    }
    // URL escapes the asterisks it inserted; keep the log readable.
    return url.href.replaceAll('%2A%2A%2A', '***');
}
/** Returns the last path segment of a URL, decoded, such as `x.tar.xz`. */
function urlFileName(text) {
    const pathname = new URL(text).pathname;
    const segment = pathname.slice(pathname.lastIndexOf('/') + 1);
    return decodeURIComponent(segment);
}

// Downloads over http, https and file URLs with a time limit per attempt, a
// stall limit, and retries with backoff for faults that may pass.
// Sized for archives of up to a few hundred MB (an estimate, because none of
// the published archives could be downloaded here): 15 minutes allows for a
// slow mirror, and one minute without data means the transfer is stuck.
const DEFAULT_FETCH_TIMEOUTS = {
    attemptMs: 15 * 60_000,
    stallMs: 60_000,
    attempts: 3,
    backoffMs: 2_000
};
class DownloadError extends UserError {
    kind;
    retryable;
    status;
    bytes;
    constructor(message, kind, retryable, 
    /** HTTP status, when a response arrived. */
    status, 
    /** Body bytes received before the failure. */
    bytes = 0) {
        super(message);
        this.kind = kind;
        this.retryable = retryable;
        this.status = status;
        this.bytes = bytes;
        this.name = 'DownloadError';
    }
}
// Connection failures that a retry a few seconds later would meet again.
const UNREACHABLE_CODES = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'ETIMEDOUT',
    'UND_ERR_CONNECT_TIMEOUT'
]);
function causeChain(error) {
    const chain = [];
    let current = error;
    while (chain.length < 5 && typeof current === 'object' && current !== null) {
        const shape = current;
        chain.push(shape);
        current = shape.cause;
    }
    return chain;
}
/** Returns the first `code` found on the error or its chain of causes. */
function errorCode(error) {
    const code = causeChain(error).find(e => typeof e.code === 'string')?.code;
    return code;
}
function describeCause(error) {
    const messages = causeChain(error)
        .map(e => (typeof e.message === 'string' ? e.message : ''))
        .filter(message => message !== '');
    return messages.join(': ') || errorMessage(error);
}
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    if (bytes < 1024 * 1024)
        return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
function contentLength(response) {
    // A body sent with Content-Encoding would not match the archive's digest
    // anyway; its length is not checked here.
    if (response.headers['content-encoding'])
        return undefined;
    const text = response.headers['content-length'];
    if (text === undefined || !/^\d+$/.test(text))
        return undefined;
    return Number(text);
}
/** Returns `url` without user name and password; they go in a header. */
function requestUrl(url) {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
}
function requestHeaders(url) {
    // Identity keeps the bytes on disk equal to the published archive.
    const headers = {
        'accept-encoding': 'identity',
        'user-agent': 'rump-cross'
    };
    const { username, password } = new URL(url);
    if (username || password) {
        // Credentials in the URL become HTTP basic authentication, as with curl.
        const pair = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
        headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    }
    return headers;
}
/** Redirects followed before an attempt fails; GitHub releases use one. */
const MAX_REDIRECTS = 5;
function get(url, headers, signal) {
    return new Promise((resolve, reject) => {
        const client = url.protocol === 'https:' ? https : http;
        const request = client.get(url, { headers, signal }, resolve);
        request.on('error', reject);
    });
}
/**
 * Sends the request and follows redirects. Credentials are not sent to
 * another origin.
 */
async function open(url, signal) {
    let current = new URL(url);
    const headers = requestHeaders(url);
    for (let hop = 0;; hop++) {
        const response = await get(new URL(requestUrl(current.href)), headers, signal);
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (status < 300 || status >= 400 || location === undefined)
            return response;
        response.resume();
        const next = new URL(location, current);
        if (hop >= MAX_REDIRECTS || !['http:', 'https:'].includes(next.protocol)) {
            throw new DownloadError(hop >= MAX_REDIRECTS
                ? `more than ${MAX_REDIRECTS} redirects`
                : `redirect to the unsupported URL ${maskUrl(next.href)}`, 'http', false, status);
        }
        if (next.origin !== current.origin)
            delete headers.authorization;
        current = next;
    }
}
/**
 * Runs one HTTP request and streams the body into `sink`. It uses node:http
 * rather than fetch: the undici in Node 24.21 fails an internal assertion
 * and ends the process when a server closes the connection while a body
 * read waits for the disk (seen with Python's http.server).
 */
async function fetchOnce(url, sink, timeouts) {
    const controller = new AbortController();
    let abortReason;
    const abort = (reason) => {
        abortReason ??= reason;
        controller.abort();
    };
    const attemptTimer = setTimeout(() => abort('timeout'), timeouts.attemptMs);
    const stallTimer = setTimeout(() => abort('stalled'), timeouts.stallMs);
    let status;
    let bytes = 0;
    let expected;
    try {
        const response = await open(url, controller.signal);
        stallTimer.refresh();
        status = response.statusCode;
        if (status === undefined || status < 200 || status >= 300) {
            response.resume();
            throw new DownloadError(`HTTP ${status} ${response.statusMessage ?? ''}`.trim(), 'http', status !== undefined && status >= 500);
        }
        expected = contentLength(response);
        for await (const chunk of response) {
            stallTimer.refresh();
            bytes += chunk.length;
            await sink.write(chunk);
        }
        if (expected !== undefined && bytes !== expected) {
            throw new DownloadError(`truncated: received ${bytes} of ${expected} bytes`, 'truncated', true);
        }
        return { status, bytes };
    }
    catch (error) {
        throw classify(error, { status, bytes, expected, abortReason, timeouts });
    }
    finally {
        clearTimeout(attemptTimer);
        clearTimeout(stallTimer);
        await sink.close();
    }
}
function classify(error, state) {
    if (error instanceof DownloadError) {
        return new DownloadError(error.message, error.kind, error.retryable, error.status ?? state.status, state.bytes);
    }
    const seconds = (ms) => formatDuration(ms);
    if (state.abortReason === 'stalled') {
        return new DownloadError(`stalled: no data for ${seconds(state.timeouts.stallMs)} after ${state.bytes} bytes`, 'stalled', true, state.status, state.bytes);
    }
    if (state.abortReason === 'timeout') {
        return new DownloadError(`timed out after ${seconds(state.timeouts.attemptMs)} with ${state.bytes} bytes received`, 'timeout', false, state.status, state.bytes);
    }
    const code = errorCode(error);
    const noConnection = code !== undefined &&
        (UNREACHABLE_CODES.has(code) || /CERT|TLS|SSL/.test(code));
    if (state.status === undefined && noConnection) {
        return new DownloadError(`could not connect (${code}): ${describeCause(error)}`, 'unreachable', false);
    }
    if (state.status === undefined && code === undefined) {
        // fetch rejects some requests before connecting, such as a port that
        // browsers block ("bad port"); a retry fails the same way.
        return new DownloadError(`request failed: ${describeCause(error)}`, 'unreachable', false);
    }
    if (state.expected !== undefined && state.bytes < state.expected) {
        return new DownloadError(`truncated: the connection closed after ${state.bytes} of ${state.expected} bytes (${describeCause(error)})`, 'truncated', true, state.status, state.bytes);
    }
    return new DownloadError(`connection failed: ${describeCause(error)}`, 'reset', true, state.status, state.bytes);
}
/** Copies a local file into `sink`; a missing file is `unreachable`. */
async function readFileOnce(url, sink) {
    let bytes = 0;
    try {
        for await (const chunk of createReadStream(fileURLToPath(url))) {
            const data = chunk;
            bytes += data.length;
            await sink.write(data);
        }
        return { bytes };
    }
    catch (error) {
        const code = errorCode(error);
        throw new DownloadError(`could not read the file (${code ?? 'error'}): ${errorMessage(error)}`, code === 'ENOENT' || code === 'EACCES' ? 'unreachable' : 'reset', false, undefined, bytes);
    }
    finally {
        await sink.close();
    }
}
/**
 * Runs attempts until one succeeds, a failure is not worth retrying, or the
 * attempts run out. Logs and records each attempt.
 */
async function withRetries(url, fileKind, openSink, options) {
    const { ui, timeouts } = options;
    const masked = maskUrl(url);
    const isFile = url.startsWith('file:');
    const maxAttempts = isFile ? 1 : Math.max(1, timeouts.attempts);
    for (let number = 1;; number++) {
        const started = Date.now();
        const sink = await openSink();
        try {
            const result = isFile
                ? await readFileOnce(url, sink)
                : await fetchOnce(url, sink, timeouts);
            const ms = Date.now() - started;
            options.attempts.push({
                url: masked,
                status: result.status,
                bytes: result.bytes,
                ms
            });
            const status = result.status === undefined ? '' : `HTTP ${result.status}, `;
            ui.info(`Downloaded ${fileKind} ${masked}: ${status}${formatBytes(result.bytes)} in ${formatDuration(ms)}`);
            return result;
        }
        catch (caught) {
            const error = caught instanceof DownloadError
                ? caught
                : new DownloadError(errorMessage(caught), 'reset', false);
            const ms = Date.now() - started;
            options.attempts.push({
                url: masked,
                status: error.status,
                bytes: error.bytes,
                ms,
                error: error.message
            });
            const retry = error.retryable && number < maxAttempts;
            const delay = timeouts.backoffMs * 2 ** (number - 1);
            // Only a retryable failure counts against the attempts.
            const attempt = error.retryable
                ? `Attempt ${number} of ${maxAttempts} for ${fileKind} ${masked}`
                : `Download of ${fileKind} ${masked}`;
            ui.info(`${attempt} failed after ${formatDuration(ms)}: ${error.message}` +
                (retry
                    ? `; retrying in ${formatDuration(delay)}`
                    : error.retryable
                        ? ''
                        : '; not retried'));
            if (!retry)
                throw error;
            await setTimeout$1(delay);
        }
    }
}
/**
 * Downloads `url` into the file `destination` and returns its size and
 * digests. Throws DownloadError after the last failed attempt and deletes
 * the partial file.
 */
async function downloadFile(url, destination, options) {
    let sha256 = createHash('sha256');
    let sha512 = createHash('sha512');
    const openSink = async () => {
        sha256 = createHash('sha256');
        sha512 = createHash('sha512');
        const handle = await fs$1.open(destination, 'w');
        return {
            async write(chunk) {
                sha256.update(chunk);
                sha512.update(chunk);
                try {
                    await handle.write(chunk);
                }
                catch (error) {
                    // A full disk does not get better with a retry.
                    throw new DownloadError(`could not write ${destination}: ${errorMessage(error)}`, 'write', false);
                }
            },
            close: () => handle.close()
        };
    };
    try {
        const result = await withRetries(url, 'archive', openSink, options);
        return {
            bytes: result.bytes,
            sha256: sha256.digest('hex'),
            sha512: sha512.digest('hex')
        };
    }
    catch (error) {
        await fs$1.rm(destination, { force: true });
        throw error;
    }
}
/**
 * Downloads a small text file, such as a checksum list, into memory.
 * Throws DownloadError when it fails or exceeds `maxBytes`.
 */
async function downloadText(url, options, maxBytes = 4 * 1024 * 1024) {
    let chunks = [];
    let size = 0;
    const openSink = async () => {
        chunks = [];
        size = 0;
        return {
            async write(chunk) {
                size += chunk.length;
                if (size > maxBytes) {
                    throw new DownloadError(`larger than ${formatBytes(maxBytes)}, which is too large for a checksum file`, 'too-large', false);
                }
                chunks.push(chunk);
            },
            close: async () => undefined
        };
    };
    await withRetries(url, 'checksum file', openSink, options);
    return Buffer.concat(chunks).toString('utf8');
}

// Checksums of toolchain archives: where the expected digest comes from, and
// the comparison that runs before anything is extracted.
const HEX_LENGTH = { sha256: 64, sha512: 128 };
/** A checksum that could not be had or did not match; the archive is unused. */
class ChecksumError extends UserError {
    unavailable;
    constructor(message, 
    /** True when no checksum file could be downloaded at all. */
    unavailable = false) {
        super(message);
        this.unavailable = unavailable;
        this.name = 'ChecksumError';
    }
}
function isDigest(text, algorithm) {
    return new RegExp(`^[0-9a-f]{${HEX_LENGTH[algorithm]}}$`, 'i').test(text);
}
/**
 * Reads a sidecar checksum file: either the bare digest, or one line in
 * `sha256sum` format whose file name must be `fileName`.
 * Returns undefined when the text contains neither.
 */
function parseSidecar(text, fileName, algorithm) {
    const line = text.split(/\r?\n/).find(l => l.trim() !== '');
    if (line === undefined)
        return undefined;
    const [digest, name] = line.trim().split(/\s+/, 2);
    if (!isDigest(digest, algorithm))
        return undefined;
    if (name !== undefined && stripNamePrefix(name) !== fileName)
        return undefined;
    return digest.toLowerCase();
}
// sha512sum marks binary mode with `*`, and lists made with `find` start
// names with `./`.
function stripNamePrefix(name) {
    return name.replace(/^\*/, '').replace(/^\.\//, '');
}
/**
 * Finds the digest of `fileName` in a list in `sha512sum` format
 * (`<hex>  <name>` per line). Returns undefined when it has no such entry.
 */
function parseChecksumList(text, fileName, algorithm) {
    for (const line of text.split(/\r?\n/)) {
        const match = /^([0-9a-fA-F]+)\s+(.+)$/.exec(line.trim());
        if (!match || !isDigest(match[1], algorithm))
            continue;
        if (stripNamePrefix(match[2].trim()) === fileName) {
            return match[1].toLowerCase();
        }
    }
    return undefined;
}
/**
 * Returns the digest that the archive of `source` must have, fetching the
 * checksum file when the source publishes one. Returns undefined only for a
 * user template without toolchain-sha256. Throws ChecksumError when no
 * usable checksum can be had, and DownloadError from `fetchText` when the
 * only checksum file cannot be downloaded.
 */
async function expectedDigest(source, fetchText) {
    const checksum = source.checksum;
    const fileName = urlFileName(source.url);
    switch (checksum.kind) {
        case 'none':
            return undefined;
        case 'pinned':
            return {
                algorithm: checksum.algorithm,
                digest: checksum.digest,
                origin: 'toolchain-sha256'
            };
        case 'sidecar': {
            const text = await fetchText(checksum.url).catch((error) => {
                if (!(error instanceof DownloadError))
                    throw error;
                // Name the checksum file, because the caller reports the archive URL.
                throw new DownloadError(`checksum file ${maskUrl(checksum.url)}: ${error.message}`, error.kind, error.retryable, error.status, error.bytes);
            });
            const digest = parseSidecar(text, fileName, checksum.algorithm);
            if (!digest) {
                throw new ChecksumError(`The checksum file ${maskUrl(checksum.url)} does not contain a ${checksum.algorithm} digest for ${fileName}. Set toolchain-sha256 to the digest you expect, or use another source.`);
            }
            return {
                algorithm: checksum.algorithm,
                digest,
                origin: maskUrl(checksum.url)
            };
        }
        case 'list': {
            const problems = [];
            let downloaded = false;
            for (const url of checksum.urls) {
                let text;
                try {
                    text = await fetchText(url);
                }
                catch (error) {
                    problems.push(`${maskUrl(url)}: ${errorMessage(error)}`);
                    continue;
                }
                downloaded = true;
                const digest = parseChecksumList(text, fileName, checksum.algorithm);
                if (digest) {
                    return { algorithm: checksum.algorithm, digest, origin: maskUrl(url) };
                }
                problems.push(`${maskUrl(url)}: no ${checksum.algorithm} entry for ${fileName}`);
            }
            throw new ChecksumError(`No ${checksum.algorithm} checksum for ${fileName} could be had (${problems.join('; ')}). A built-in source is never used unverified; set toolchain-sha256, or pass a toolchain-url with a checksum you trust.`, !downloaded);
        }
    }
}
/**
 * Compares the digest of the downloaded archive with the expected one.
 * On a mismatch it deletes the archive and throws ChecksumError naming both
 * digests. Without an expected digest it returns at once; the caller warns
 * with warnUnverified once the archive proved usable.
 */
async function verifyArchive(file, url, actual, expected, ui) {
    const masked = maskUrl(url);
    if (!expected)
        return;
    const digest = actual[expected.algorithm];
    if (digest === expected.digest.toLowerCase()) {
        ui.info(`Verified ${expected.algorithm} ${digest} (from ${expected.origin})`);
        return;
    }
    await fs$1.rm(file, { force: true });
    throw new ChecksumError(`Checksum mismatch for ${masked}: expected ${expected.algorithm} ${expected.digest} (from ${expected.origin}), got ${digest}. The archive was deleted and nothing was cached. Check toolchain-sha256, or the source if the archive changed on purpose.`);
}
/**
 * Warns that an archive without a checksum is in use, and names its sha256
 * so that the user can pin it.
 */
function warnUnverified(url, sha256, ui) {
    ui.warning(`The toolchain archive ${maskUrl(url)} is used without a checksum. Set toolchain-sha256 to ${sha256} to pin it.`, { title: 'Toolchain not verified' });
}

// The error that ends the toolchain step when no source worked.
/**
 * Returns true when the failure means the source could not be downloaded
 * (no connection, an HTTP error, a broken transfer, or no checksum file),
 * as opposed to a download that arrived and was wrong.
 */
function isUnreachable(failure) {
    const { error } = failure;
    return ((error instanceof DownloadError && error.kind !== 'write') ||
        (error instanceof ChecksumError && error.unavailable));
}
/**
 * Returns true when an older cached toolchain may stand in for the source:
 * it could not be downloaded, and not because a toolchain-url is wrong
 * (HTTP 4xx, or a file URL that does not exist), which the user must fix.
 */
function allowsOlderToolchain(failure) {
    if (!isUnreachable(failure))
        return false;
    const { source, error } = failure;
    if (source.builtIn || !(error instanceof DownloadError))
        return true;
    if (source.url.startsWith('file:'))
        return false;
    return !(error.kind === 'http' && (error.status ?? 0) < 500);
}
const UNREACHABLE_DEFAULTS_ADVICE = 'the default toolchain sources could not be reached. Without internet access, pass `--toolchain-url` (input toolchain-url) with a loopback server, such as http://127.0.0.1:8000/{triple}-cross.tgz, or `--toolchain-path` with an installed toolchain, and `--buildrump-path` (input buildrump-path) with a fetched buildrump.sh checkout that has its src folder.';
function describeAttempt(attempt) {
    const { status, error } = attempt;
    let outcome = error ?? `HTTP ${status ?? '-'}, ok`;
    if (error && status !== undefined && !error.startsWith('HTTP')) {
        outcome += ` (HTTP ${status})`;
    }
    return `${attempt.url}: ${outcome}; ${formatBytes(attempt.bytes)} in ${formatDuration(attempt.ms)}`;
}
/** Builds the error that lists every source, every attempt and what to do next. */
function allSourcesFailedError(arch, failures, attempts) {
    const builtIn = failures.length > 0 && failures.every(f => f.source.builtIn);
    const unreachable = failures.every(isUnreachable);
    let advice;
    if (unreachable && builtIn) {
        advice = UNREACHABLE_DEFAULTS_ADVICE;
    }
    else if (unreachable) {
        advice =
            'none of the toolchain-url sources could be downloaded; check the URLs and the network, or pass `--toolchain-path` (input toolchain-path) to an installed toolchain.';
    }
    else {
        advice =
            'every source failed; fix the problem listed for the source you expect to work, or pass `--toolchain-path` (input toolchain-path) to an installed toolchain.';
    }
    const lines = [
        `Could not provide the musl cross toolchain for ${arch.triple}: ${advice}`,
        'Sources:'
    ];
    for (const { source, error } of failures) {
        lines.push(`  ${source.label} ${maskUrl(source.url)}: ${errorMessage(error)}`);
    }
    if (attempts.length > 0) {
        lines.push('Attempts:');
        for (const attempt of attempts)
            lines.push(`  ${describeAttempt(attempt)}`);
    }
    return new UserError(lines.join('\n'));
}

var zr=Object.defineProperty;var Ur=(s,t)=>{for(var e in t)zr(s,e,{get:t[e],enumerable:true});};var Ds=typeof process=="object"&&process?process:{stdout:null,stderr:null},Wr=s=>!!s&&typeof s=="object"&&(s instanceof A||s instanceof require$$0||Gr(s)||Zr(s)),Gr=s=>!!s&&typeof s=="object"&&s instanceof EventEmitter&&typeof s.pipe=="function"&&s.pipe!==require$$0.Writable.prototype.pipe,Zr=s=>!!s&&typeof s=="object"&&s instanceof EventEmitter&&typeof s.write=="function"&&typeof s.end=="function",Q=Symbol("EOF"),J=Symbol("maybeEmitEnd"),nt=Symbol("emittedEnd"),De=Symbol("emittingEnd"),qt=Symbol("emittedError"),Ne=Symbol("closed"),Ns=Symbol("read"),Ae=Symbol("flush"),As=Symbol("flushChunk"),z=Symbol("encoding"),vt=Symbol("decoder"),g=Symbol("flowing"),Qt=Symbol("paused"),Bt=Symbol("resume"),b=Symbol("buffer"),N=Symbol("pipes"),_=Symbol("bufferLength"),bi=Symbol("bufferPush"),Ie=Symbol("bufferShift"),L=Symbol("objectMode"),S=Symbol("destroyed"),_i=Symbol("error"),Oi=Symbol("emitData"),Is=Symbol("emitEnd"),Ti=Symbol("emitEnd2"),Z=Symbol("async"),xi=Symbol("abort"),Ce=Symbol("aborted"),Jt=Symbol("signal"),Rt=Symbol("dataListeners"),C=Symbol("discarded"),jt=s=>Promise.resolve().then(s),Yr=s=>s(),Kr=s=>s==="end"||s==="finish"||s==="prefinish",$r=s=>s instanceof ArrayBuffer||!!s&&typeof s=="object"&&s.constructor&&s.constructor.name==="ArrayBuffer"&&s.byteLength>=0,Vr=s=>!Buffer.isBuffer(s)&&ArrayBuffer.isView(s),Fe=class{src;dest;opts;ondrain;constructor(t,e,i){this.src=t,this.dest=e,this.opts=i,this.ondrain=()=>t[Bt](),this.dest.on("drain",this.ondrain);}unpipe(){this.dest.removeListener("drain",this.ondrain);}proxyErrors(t){}end(){this.unpipe(),this.opts.end&&this.dest.end();}},Li=class extends Fe{unpipe(){this.src.removeListener("error",this.proxyErrors),super.unpipe();}constructor(t,e,i){super(t,e,i),this.proxyErrors=r=>this.dest.emit("error",r),t.on("error",this.proxyErrors);}},Xr=s=>!!s.objectMode,qr=s=>!s.objectMode&&!!s.encoding&&s.encoding!=="buffer",A=class extends EventEmitter{[g]=false;[Qt]=false;[N]=[];[b]=[];[L];[z];[Z];[vt];[Q]=false;[nt]=false;[De]=false;[Ne]=false;[qt]=null;[_]=0;[S]=false;[Jt];[Ce]=false;[Rt]=0;[C]=false;writable=true;readable=true;constructor(...t){let e=t[0]||{};if(super(),e.objectMode&&typeof e.encoding=="string")throw new TypeError("Encoding and objectMode may not be used together");Xr(e)?(this[L]=true,this[z]=null):qr(e)?(this[z]=e.encoding,this[L]=false):(this[L]=false,this[z]=null),this[Z]=!!e.async,this[vt]=this[z]?new StringDecoder(this[z]):null,e&&e.debugExposeBuffer===true&&Object.defineProperty(this,"buffer",{get:()=>this[b]}),e&&e.debugExposePipes===true&&Object.defineProperty(this,"pipes",{get:()=>this[N]});let{signal:i}=e;i&&(this[Jt]=i,i.aborted?this[xi]():i.addEventListener("abort",()=>this[xi]()));}get bufferLength(){return this[_]}get encoding(){return this[z]}set encoding(t){throw new Error("Encoding must be set at instantiation time")}setEncoding(t){throw new Error("Encoding must be set at instantiation time")}get objectMode(){return this[L]}set objectMode(t){throw new Error("objectMode must be set at instantiation time")}get async(){return this[Z]}set async(t){this[Z]=this[Z]||!!t;}[xi](){this[Ce]=true,this.emit("abort",this[Jt]?.reason),this.destroy(this[Jt]?.reason);}get aborted(){return this[Ce]}set aborted(t){}write(t,e,i){if(this[Ce])return  false;if(this[Q])throw new Error("write after end");if(this[S])return this.emit("error",Object.assign(new Error("Cannot call write after a stream was destroyed"),{code:"ERR_STREAM_DESTROYED"})),true;typeof e=="function"&&(i=e,e="utf8"),e||(e="utf8");let r=this[Z]?jt:Yr;if(!this[L]&&!Buffer.isBuffer(t)){if(Vr(t))t=Buffer.from(t.buffer,t.byteOffset,t.byteLength);else if($r(t))t=Buffer.from(t);else if(typeof t!="string")throw new Error("Non-contiguous data written to non-objectMode stream")}return this[L]?(this[g]&&this[_]!==0&&this[Ae](true),this[g]?this.emit("data",t):this[bi](t),this[_]!==0&&this.emit("readable"),i&&r(i),this[g]):t.length?(typeof t=="string"&&!(e===this[z]&&!this[vt]?.lastNeed)&&(t=Buffer.from(t,e)),Buffer.isBuffer(t)&&this[z]&&(t=this[vt].write(t)),this[g]&&this[_]!==0&&this[Ae](true),this[g]?this.emit("data",t):this[bi](t),this[_]!==0&&this.emit("readable"),i&&r(i),this[g]):(this[_]!==0&&this.emit("readable"),i&&r(i),this[g])}read(t){if(this[S])return null;if(this[C]=false,this[_]===0||t===0||t&&t>this[_])return this[J](),null;this[L]&&(t=null),this[b].length>1&&!this[L]&&(this[b]=[this[z]?this[b].join(""):Buffer.concat(this[b],this[_])]);let e=this[Ns](t||null,this[b][0]);return this[J](),e}[Ns](t,e){if(this[L])this[Ie]();else {let i=e;t===i.length||t===null?this[Ie]():typeof i=="string"?(this[b][0]=i.slice(t),e=i.slice(0,t),this[_]-=t):(this[b][0]=i.subarray(t),e=i.subarray(0,t),this[_]-=t);}return this.emit("data",e),!this[b].length&&!this[Q]&&this.emit("drain"),e}end(t,e,i){return typeof t=="function"&&(i=t,t=void 0),typeof e=="function"&&(i=e,e="utf8"),t!==void 0&&this.write(t,e),i&&this.once("end",i),this[Q]=true,this.writable=false,(this[g]||!this[Qt])&&this[J](),this}[Bt](){this[S]||(!this[Rt]&&!this[N].length&&(this[C]=true),this[Qt]=false,this[g]=true,this.emit("resume"),this[b].length?this[Ae]():this[Q]?this[J]():this.emit("drain"));}resume(){return this[Bt]()}pause(){this[g]=false,this[Qt]=true,this[C]=false;}get destroyed(){return this[S]}get flowing(){return this[g]}get paused(){return this[Qt]}[bi](t){this[L]?this[_]+=1:this[_]+=t.length,this[b].push(t);}[Ie](){return this[L]?this[_]-=1:this[_]-=this[b][0].length,this[b].shift()}[Ae](t=false){do;while(this[As](this[Ie]())&&this[b].length);!t&&!this[b].length&&!this[Q]&&this.emit("drain");}[As](t){return this.emit("data",t),this[g]}pipe(t,e){if(this[S])return t;this[C]=false;let i=this[nt];return e=e||{},t===Ds.stdout||t===Ds.stderr?e.end=false:e.end=e.end!==false,e.proxyErrors=!!e.proxyErrors,i?e.end&&t.end():(this[N].push(e.proxyErrors?new Li(this,t,e):new Fe(this,t,e)),this[Z]?jt(()=>this[Bt]()):this[Bt]()),t}unpipe(t){let e=this[N].find(i=>i.dest===t);e&&(this[N].length===1?(this[g]&&this[Rt]===0&&(this[g]=false),this[N]=[]):this[N].splice(this[N].indexOf(e),1),e.unpipe());}addListener(t,e){return this.on(t,e)}on(t,e){let i=super.on(t,e);if(t==="data")this[C]=false,this[Rt]++,!this[N].length&&!this[g]&&this[Bt]();else if(t==="readable"&&this[_]!==0)super.emit("readable");else if(Kr(t)&&this[nt])super.emit(t),this.removeAllListeners(t);else if(t==="error"&&this[qt]){let r=e;this[Z]?jt(()=>r.call(this,this[qt])):r.call(this,this[qt]);}return i}removeListener(t,e){return this.off(t,e)}off(t,e){let i=super.off(t,e);return t==="data"&&(this[Rt]=this.listeners("data").length,this[Rt]===0&&!this[C]&&!this[N].length&&(this[g]=false)),i}removeAllListeners(t){let e=super.removeAllListeners(t);return (t==="data"||t===void 0)&&(this[Rt]=0,!this[C]&&!this[N].length&&(this[g]=false)),e}get emittedEnd(){return this[nt]}[J](){!this[De]&&!this[nt]&&!this[S]&&this[b].length===0&&this[Q]&&(this[De]=true,this.emit("end"),this.emit("prefinish"),this.emit("finish"),this[Ne]&&this.emit("close"),this[De]=false);}emit(t,...e){let i=e[0];if(t!=="error"&&t!=="close"&&t!==S&&this[S])return  false;if(t==="data")return !this[L]&&!i?false:this[Z]?(jt(()=>this[Oi](i)),true):this[Oi](i);if(t==="end")return this[Is]();if(t==="close"){if(this[Ne]=true,!this[nt]&&!this[S])return  false;let n=super.emit("close");return this.removeAllListeners("close"),n}else if(t==="error"){this[qt]=i,super.emit(_i,i);let n=!this[Jt]||this.listeners("error").length?super.emit("error",i):false;return this[J](),n}else if(t==="resume"){let n=super.emit("resume");return this[J](),n}else if(t==="finish"||t==="prefinish"){let n=super.emit(t);return this.removeAllListeners(t),n}let r=super.emit(t,...e);return this[J](),r}[Oi](t){for(let i of this[N])i.dest.write(t)===false&&this.pause();let e=this[C]?false:super.emit("data",t);return this[J](),e}[Is](){return this[nt]?false:(this[nt]=true,this.readable=false,this[Z]?(jt(()=>this[Ti]()),true):this[Ti]())}[Ti](){if(this[vt]){let e=this[vt].end();if(e){for(let i of this[N])i.dest.write(e);this[C]||super.emit("data",e);}}for(let e of this[N])e.end();let t=super.emit("end");return this.removeAllListeners("end"),t}async collect(){let t=Object.assign([],{dataLength:0});this[L]||(t.dataLength=0);let e=this.promise();return this.on("data",i=>{t.push(i),this[L]||(t.dataLength+=i.length);}),await e,t}async concat(){if(this[L])throw new Error("cannot concat in objectMode");let t=await this.collect();return this[z]?t.join(""):Buffer.concat(t,t.dataLength)}async promise(){return new Promise((t,e)=>{this.on(S,()=>e(new Error("stream destroyed"))),this.on("error",i=>e(i)),this.on("end",()=>t());})}[Symbol.asyncIterator](){this[C]=false;let t=false,e=async()=>(this.pause(),t=true,{value:void 0,done:true});return {next:()=>{if(t)return e();let r=this.read();if(r!==null)return Promise.resolve({done:false,value:r});if(this[Q])return e();let n,o,h=d=>{this.off("data",a),this.off("end",l),this.off(S,c),e(),o(d);},a=d=>{this.off("error",h),this.off("end",l),this.off(S,c),this.pause(),n({value:d,done:!!this[Q]});},l=()=>{this.off("error",h),this.off("data",a),this.off(S,c),e(),n({done:true,value:void 0});},c=()=>h(new Error("stream destroyed"));return new Promise((d,y)=>{o=y,n=d,this.once(S,c),this.once("error",h),this.once("end",l),this.once("data",a);})},throw:e,return:e,[Symbol.asyncIterator](){return this},[Symbol.asyncDispose]:async()=>{}}}[Symbol.iterator](){this[C]=false;let t=false,e=()=>(this.pause(),this.off(_i,e),this.off(S,e),this.off("end",e),t=true,{done:true,value:void 0}),i=()=>{if(t)return e();let r=this.read();return r===null?e():{done:false,value:r}};return this.once("end",e),this.once(_i,e),this.once(S,e),{next:i,throw:e,return:e,[Symbol.iterator](){return this},[Symbol.dispose]:()=>{}}}destroy(t){if(this[S])return t?this.emit("error",t):this.emit(S),this;this[S]=true,this[C]=true,this[b].length=0,this[_]=0;let e=this;return typeof e.close=="function"&&!this[Ne]&&e.close(),t?this.emit("error",t):this.emit(S),this}static get isStream(){return Wr}};var Jr=fs__default.writev,ht=Symbol("_autoClose"),H=Symbol("_close"),te=Symbol("_ended"),u=Symbol("_fd"),Ni=Symbol("_finished"),tt=Symbol("_flags"),Ai=Symbol("_flush"),ki=Symbol("_handleChunk"),Mi=Symbol("_makeBuf"),ie=Symbol("_mode"),ke=Symbol("_needDrain"),Ut=Symbol("_onerror"),Ht=Symbol("_onopen"),Ii=Symbol("_onread"),Pt=Symbol("_onwrite"),at=Symbol("_open"),U=Symbol("_path"),ot=Symbol("_pos"),Y=Symbol("_queue"),zt=Symbol("_read"),Ci=Symbol("_readSize"),j=Symbol("_reading"),ee=Symbol("_remain"),Fi=Symbol("_size"),Me=Symbol("_write"),gt=Symbol("_writing"),ve=Symbol("_defaultFlag"),bt=Symbol("_errored"),_t=class extends A{[bt]=false;[u];[U];[Ci];[j]=false;[Fi];[ee];[ht];constructor(t,e){if(e=e||{},super(e),this.readable=true,this.writable=false,typeof t!="string")throw new TypeError("path must be a string");this[bt]=false,this[u]=typeof e.fd=="number"?e.fd:void 0,this[U]=t,this[Ci]=e.readSize||16*1024*1024,this[j]=false,this[Fi]=typeof e.size=="number"?e.size:1/0,this[ee]=this[Fi],this[ht]=typeof e.autoClose=="boolean"?e.autoClose:true,typeof this[u]=="number"?this[zt]():this[at]();}get fd(){return this[u]}get path(){return this[U]}write(){throw new TypeError("this is a readable stream")}end(){throw new TypeError("this is a readable stream")}[at](){fs__default.open(this[U],"r",(t,e)=>this[Ht](t,e));}[Ht](t,e){t?this[Ut](t):(this[u]=e,this.emit("open",e),this[zt]());}[Mi](){return Buffer.allocUnsafe(Math.min(this[Ci],this[ee]))}[zt](){if(!this[j]){this[j]=true;let t=this[Mi]();if(t.length===0)return process.nextTick(()=>this[Ii](null,0,t));fs__default.read(this[u],t,0,t.length,null,(e,i,r)=>this[Ii](e,i,r));}}[Ii](t,e,i){this[j]=false,t?this[Ut](t):this[ki](e,i)&&this[zt]();}[H](){if(this[ht]&&typeof this[u]=="number"){let t=this[u];this[u]=void 0,fs__default.close(t,e=>e?this.emit("error",e):this.emit("close"));}}[Ut](t){this[j]=true,this[H](),this.emit("error",t);}[ki](t,e){let i=false;return this[ee]-=t,t>0&&(i=super.write(t<e.length?e.subarray(0,t):e)),(t===0||this[ee]<=0)&&(i=false,this[H](),super.end()),i}emit(t,...e){switch(t){case "prefinish":case "finish":return  false;case "drain":return typeof this[u]=="number"&&this[zt](),false;case "error":return this[bt]?false:(this[bt]=true,super.emit(t,...e));default:return super.emit(t,...e)}}},Be=class extends _t{[at](){let t=true;try{this[Ht](null,fs__default.openSync(this[U],"r")),t=!1;}finally{t&&this[H]();}}[zt](){let t=true;try{if(!this[j]){this[j]=!0;do{let e=this[Mi](),i=e.length===0?0:fs__default.readSync(this[u],e,0,e.length,null);if(!this[ki](i,e))break}while(!0);this[j]=!1;}t=!1;}finally{t&&this[H]();}}[H](){if(this[ht]&&typeof this[u]=="number"){let t=this[u];this[u]=void 0,fs__default.closeSync(t),this.emit("close");}}},et=class extends require$$1__default{readable=false;writable=true;[bt]=false;[gt]=false;[te]=false;[Y]=[];[ke]=false;[U];[ie];[ht];[u];[ve];[tt];[Ni]=false;[ot];constructor(t,e){e=e||{},super(e),this[U]=t,this[u]=typeof e.fd=="number"?e.fd:void 0,this[ie]=e.mode===void 0?438:e.mode,this[ot]=typeof e.start=="number"?e.start:void 0,this[ht]=typeof e.autoClose=="boolean"?e.autoClose:true;let i=this[ot]!==void 0?"r+":"w";this[ve]=e.flags===void 0,this[tt]=e.flags===void 0?i:e.flags,this[u]===void 0&&this[at]();}emit(t,...e){if(t==="error"){if(this[bt])return  false;this[bt]=true;}return super.emit(t,...e)}get fd(){return this[u]}get path(){return this[U]}[Ut](t){this[H](),this[gt]=true,this.emit("error",t);}[at](){fs__default.open(this[U],this[tt],this[ie],(t,e)=>this[Ht](t,e));}[Ht](t,e){this[ve]&&this[tt]==="r+"&&t&&t.code==="ENOENT"?(this[tt]="w",this[at]()):t?this[Ut](t):(this[u]=e,this.emit("open",e),this[gt]||this[Ai]());}end(t,e){return t&&this.write(t,e),this[te]=true,!this[gt]&&!this[Y].length&&typeof this[u]=="number"&&this[Pt](null,0),this}write(t,e){return typeof t=="string"&&(t=Buffer.from(t,e)),this[te]?(this.emit("error",new Error("write() after end()")),false):this[u]===void 0||this[gt]||this[Y].length?(this[Y].push(t),this[ke]=true,false):(this[gt]=true,this[Me](t),true)}[Me](t){fs__default.write(this[u],t,0,t.length,this[ot],(e,i)=>this[Pt](e,i));}[Pt](t,e){t?this[Ut](t):(this[ot]!==void 0&&typeof e=="number"&&(this[ot]+=e),this[Y].length?this[Ai]():(this[gt]=false,this[te]&&!this[Ni]?(this[Ni]=true,this[H](),this.emit("finish")):this[ke]&&(this[ke]=false,this.emit("drain"))));}[Ai](){if(this[Y].length===0)this[te]&&this[Pt](null,0);else if(this[Y].length===1)this[Me](this[Y].pop());else {let t=this[Y];this[Y]=[],Jr(this[u],t,this[ot],(e,i)=>this[Pt](e,i));}}[H](){if(this[ht]&&typeof this[u]=="number"){let t=this[u];this[u]=void 0,fs__default.close(t,e=>e?this.emit("error",e):this.emit("close"));}}},Wt=class extends et{[at](){let t;if(this[ve]&&this[tt]==="r+")try{t=fs__default.openSync(this[U],this[tt],this[ie]);}catch(e){if(e?.code==="ENOENT")return this[tt]="w",this[at]();throw e}else t=fs__default.openSync(this[U],this[tt],this[ie]);this[Ht](null,t);}[H](){if(this[ht]&&typeof this[u]=="number"){let t=this[u];this[u]=void 0,fs__default.closeSync(t),this.emit("close");}}[Me](t){let e=true;try{this[Pt](null,fs__default.writeSync(this[u],t,0,t.length,this[ot])),e=!1;}finally{if(e)try{this[H]();}catch{}}}};var jr=new Map([["C","cwd"],["f","file"],["z","gzip"],["P","preservePaths"],["U","unlink"],["strip-components","strip"],["stripComponents","strip"],["keep-newer","newer"],["keepNewer","newer"],["keep-newer-files","newer"],["keepNewerFiles","newer"],["k","keep"],["keep-existing","keep"],["keepExisting","keep"],["m","noMtime"],["no-mtime","noMtime"],["p","preserveOwner"],["L","follow"],["h","follow"],["onentry","onReadEntry"]]),Fs=s=>!!s.sync&&!!s.file,ks=s=>!s.sync&&!!s.file,Ms=s=>!!s.sync&&!s.file,vs=s=>!s.sync&&!s.file;var Bs=s=>!!s.file;var tn=s=>{let t=jr.get(s);return t||s},se=(s={})=>{if(!s)return {};let t={};for(let[e,i]of Object.entries(s)){let r=tn(e);t[r]=i;}return t.chmod===void 0&&t.noChmod===false&&(t.chmod=true),delete t.noChmod,t};var K=(s,t,e,i,r)=>Object.assign((n=[],o,h)=>{Array.isArray(n)&&(o=n,n={}),typeof o=="function"&&(h=o,o=void 0),o=o?Array.from(o):[];let a=se(n);if(r?.(a,o),Fs(a)){if(typeof h=="function")throw new TypeError("callback not supported for sync tar functions");return s(a,o)}else if(ks(a)){let l=t(a,o);return h?l.then(()=>h(),h):l}else if(Ms(a)){if(typeof h=="function")throw new TypeError("callback not supported for sync tar functions");return e(a,o)}else if(vs(a)){if(typeof h=="function")throw new TypeError("callback only supported with file option");return i(a,o)}throw new Error("impossible options??")},{syncFile:s,asyncFile:t,syncNoFile:e,asyncNoFile:i,validate:r});var sn=Ps__default.constants||{ZLIB_VERNUM:4736},v=Object.freeze(Object.assign(Object.create(null),{Z_NO_FLUSH:0,Z_PARTIAL_FLUSH:1,Z_SYNC_FLUSH:2,Z_FULL_FLUSH:3,Z_FINISH:4,Z_BLOCK:5,Z_OK:0,Z_STREAM_END:1,Z_NEED_DICT:2,Z_ERRNO:-1,Z_STREAM_ERROR:-2,Z_DATA_ERROR:-3,Z_MEM_ERROR:-4,Z_BUF_ERROR:-5,Z_VERSION_ERROR:-6,Z_NO_COMPRESSION:0,Z_BEST_SPEED:1,Z_BEST_COMPRESSION:9,Z_DEFAULT_COMPRESSION:-1,Z_FILTERED:1,Z_HUFFMAN_ONLY:2,Z_RLE:3,Z_FIXED:4,Z_DEFAULT_STRATEGY:0,DEFLATE:1,INFLATE:2,GZIP:3,GUNZIP:4,DEFLATERAW:5,INFLATERAW:6,UNZIP:7,BROTLI_DECODE:8,BROTLI_ENCODE:9,Z_MIN_WINDOWBITS:8,Z_MAX_WINDOWBITS:15,Z_DEFAULT_WINDOWBITS:15,Z_MIN_CHUNK:64,Z_MAX_CHUNK:1/0,Z_DEFAULT_CHUNK:16384,Z_MIN_MEMLEVEL:1,Z_MAX_MEMLEVEL:9,Z_DEFAULT_MEMLEVEL:8,Z_MIN_LEVEL:-1,Z_MAX_LEVEL:9,Z_DEFAULT_LEVEL:-1,BROTLI_OPERATION_PROCESS:0,BROTLI_OPERATION_FLUSH:1,BROTLI_OPERATION_FINISH:2,BROTLI_OPERATION_EMIT_METADATA:3,BROTLI_MODE_GENERIC:0,BROTLI_MODE_TEXT:1,BROTLI_MODE_FONT:2,BROTLI_DEFAULT_MODE:0,BROTLI_MIN_QUALITY:0,BROTLI_MAX_QUALITY:11,BROTLI_DEFAULT_QUALITY:11,BROTLI_MIN_WINDOW_BITS:10,BROTLI_MAX_WINDOW_BITS:24,BROTLI_LARGE_MAX_WINDOW_BITS:30,BROTLI_DEFAULT_WINDOW:22,BROTLI_MIN_INPUT_BLOCK_BITS:16,BROTLI_MAX_INPUT_BLOCK_BITS:24,BROTLI_PARAM_MODE:0,BROTLI_PARAM_QUALITY:1,BROTLI_PARAM_LGWIN:2,BROTLI_PARAM_LGBLOCK:3,BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING:4,BROTLI_PARAM_SIZE_HINT:5,BROTLI_PARAM_LARGE_WINDOW:6,BROTLI_PARAM_NPOSTFIX:7,BROTLI_PARAM_NDIRECT:8,BROTLI_DECODER_RESULT_ERROR:0,BROTLI_DECODER_RESULT_SUCCESS:1,BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:2,BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:3,BROTLI_DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION:0,BROTLI_DECODER_PARAM_LARGE_WINDOW:1,BROTLI_DECODER_NO_ERROR:0,BROTLI_DECODER_SUCCESS:1,BROTLI_DECODER_NEEDS_MORE_INPUT:2,BROTLI_DECODER_NEEDS_MORE_OUTPUT:3,BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_NIBBLE:-1,BROTLI_DECODER_ERROR_FORMAT_RESERVED:-2,BROTLI_DECODER_ERROR_FORMAT_EXUBERANT_META_NIBBLE:-3,BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET:-4,BROTLI_DECODER_ERROR_FORMAT_SIMPLE_HUFFMAN_SAME:-5,BROTLI_DECODER_ERROR_FORMAT_CL_SPACE:-6,BROTLI_DECODER_ERROR_FORMAT_HUFFMAN_SPACE:-7,BROTLI_DECODER_ERROR_FORMAT_CONTEXT_MAP_REPEAT:-8,BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_1:-9,BROTLI_DECODER_ERROR_FORMAT_BLOCK_LENGTH_2:-10,BROTLI_DECODER_ERROR_FORMAT_TRANSFORM:-11,BROTLI_DECODER_ERROR_FORMAT_DICTIONARY:-12,BROTLI_DECODER_ERROR_FORMAT_WINDOW_BITS:-13,BROTLI_DECODER_ERROR_FORMAT_PADDING_1:-14,BROTLI_DECODER_ERROR_FORMAT_PADDING_2:-15,BROTLI_DECODER_ERROR_FORMAT_DISTANCE:-16,BROTLI_DECODER_ERROR_DICTIONARY_NOT_SET:-19,BROTLI_DECODER_ERROR_INVALID_ARGUMENTS:-20,BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES:-21,BROTLI_DECODER_ERROR_ALLOC_TREE_GROUPS:-22,BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MAP:-25,BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_1:-26,BROTLI_DECODER_ERROR_ALLOC_RING_BUFFER_2:-27,BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES:-30,BROTLI_DECODER_ERROR_UNREACHABLE:-31},sn));var rn=Buffer$1.concat,zs=Object.getOwnPropertyDescriptor(Buffer$1,"concat"),nn=s=>s,Bi=zs?.writable===true||zs?.set!==void 0?s=>{Buffer$1.concat=s?nn:rn;}:s=>{},Tt=Symbol("_superWrite"),Gt=class extends Error{code;errno;constructor(t,e){super("zlib: "+t.message,{cause:t}),this.code=t.code,this.errno=t.errno,this.code||(this.code="ZLIB_ERROR"),this.message="zlib: "+t.message,Error.captureStackTrace(this,e??this.constructor);}get name(){return "ZlibError"}},Pi=Symbol("flushFlag"),re=class extends A{#t=false;#i=false;#s;#n;#r;#e;#o;get sawError(){return this.#t}get handle(){return this.#e}get flushFlag(){return this.#s}constructor(t,e){if(!t||typeof t!="object")throw new TypeError("invalid options for ZlibBase constructor");if(super(t),this.#s=t.flush??0,this.#n=t.finishFlush??0,this.#r=t.fullFlushFlag??0,typeof Ps[e]!="function")throw new TypeError("Compression method not supported: "+e);try{this.#e=new Ps[e](t);}catch(i){throw new Gt(i,this.constructor)}this.#o=i=>{this.#t||(this.#t=true,this.close(),this.emit("error",i));},this.#e?.on("error",i=>this.#o(new Gt(i))),this.once("end",()=>this.close);}close(){this.#e&&(this.#e.close(),this.#e=void 0,this.emit("close"));}reset(){if(!this.#t)return assert(this.#e,"zlib binding closed"),this.#e.reset?.()}flush(t){this.ended||(typeof t!="number"&&(t=this.#r),this.write(Object.assign(Buffer$1.alloc(0),{[Pi]:t})));}end(t,e,i){return typeof t=="function"&&(i=t,e=void 0,t=void 0),typeof e=="function"&&(i=e,e=void 0),t&&(e?this.write(t,e):this.write(t)),this.flush(this.#n),this.#i=true,super.end(i)}get ended(){return this.#i}[Tt](t){return super.write(t)}write(t,e,i){if(typeof e=="function"&&(i=e,e="utf8"),typeof t=="string"&&(t=Buffer$1.from(t,e)),this.#t)return;assert(this.#e,"zlib binding closed");let r=this.#e._handle,n=r.close;r.close=()=>{};let o=this.#e.close;this.#e.close=()=>{},Bi(true);let h;try{let l=typeof t[Pi]=="number"?t[Pi]:this.#s;h=this.#e._processChunk(t,l),Bi(!1);}catch(l){Bi(false),this.#o(new Gt(l,this.write));}finally{this.#e&&(this.#e._handle=r,r.close=n,this.#e.close=o,this.#e.removeAllListeners("error"));}this.#e&&this.#e.on("error",l=>this.#o(new Gt(l,this.write)));let a;if(h)if(Array.isArray(h)&&h.length>0){let l=h[0];a=this[Tt](Buffer$1.from(l));for(let c=1;c<h.length;c++)a=this[Tt](h[c]);}else a=this[Tt](Buffer$1.from(h));return i&&i(),a}},Pe=class extends re{#t;#i;constructor(t,e){t=t||{},t.flush=t.flush||v.Z_NO_FLUSH,t.finishFlush=t.finishFlush||v.Z_FINISH,t.fullFlushFlag=v.Z_FULL_FLUSH,super(t,e),this.#t=t.level,this.#i=t.strategy;}params(t,e){if(!this.sawError){if(!this.handle)throw new Error("cannot switch params when binding is closed");if(!this.handle.params)throw new Error("not supported in this implementation");if(this.#t!==t||this.#i!==e){this.flush(v.Z_SYNC_FLUSH),assert(this.handle,"zlib binding closed");let i=this.handle.flush;this.handle.flush=(r,n)=>{typeof r=="function"&&(n=r,r=this.flushFlag),this.flush(r),n?.();};try{this.handle.params(t,e);}finally{this.handle.flush=i;}this.handle&&(this.#t=t,this.#i=e);}}}};var ze=class extends Pe{#t;constructor(t){super(t,"Gzip"),this.#t=t&&!!t.portable;}[Tt](t){return this.#t?(this.#t=false,t[9]=255,super[Tt](t)):super[Tt](t)}};var Ue=class extends Pe{constructor(t){super(t,"Unzip");}},He=class extends re{constructor(t,e){t=t||{},t.flush=t.flush||v.BROTLI_OPERATION_PROCESS,t.finishFlush=t.finishFlush||v.BROTLI_OPERATION_FINISH,t.fullFlushFlag=v.BROTLI_OPERATION_FLUSH,super(t,e);}},We=class extends He{constructor(t){super(t,"BrotliCompress");}},Ge=class extends He{constructor(t){super(t,"BrotliDecompress");}},Ze=class extends re{constructor(t,e){t=t||{},t.flush=t.flush||v.ZSTD_e_continue,t.finishFlush=t.finishFlush||v.ZSTD_e_end,t.fullFlushFlag=v.ZSTD_e_flush,super(t,e);}},Ye=class extends Ze{constructor(t){super(t,"ZstdCompress");}},Ke=class extends Ze{constructor(t){super(t,"ZstdDecompress");}};var Us=(s,t)=>{if(Number.isSafeInteger(s))s<0?an(s,t):hn(s,t);else throw Error("cannot encode number outside of javascript safe integer range");return t},hn=(s,t)=>{t[0]=128;for(var e=t.length;e>1;e--)t[e-1]=s&255,s=Math.floor(s/256);},an=(s,t)=>{t[0]=255;var e=false;s=s*-1;for(var i=t.length;i>1;i--){var r=s&255;s=Math.floor(s/256),e?t[i-1]=Ws(r):r===0?t[i-1]=0:(e=true,t[i-1]=Gs(r));}},Hs=s=>{let t=s[0],e=t===128?cn(s.subarray(1,s.length)):t===255?ln(s):null;if(e===null)throw Error("invalid base256 encoding");if(!Number.isSafeInteger(e))throw Error("parsed number outside of javascript safe integer range");return e},ln=s=>{for(var t=s.length,e=0,i=false,r=t-1;r>-1;r--){var n=Number(s[r]),o;i?o=Ws(n):n===0?o=n:(i=true,o=Gs(n)),o!==0&&(e-=o*Math.pow(256,t-r-1));}return e},cn=s=>{for(var t=s.length,e=0,i=t-1;i>-1;i--){var r=Number(s[i]);r!==0&&(e+=r*Math.pow(256,t-i-1));}return e},Ws=s=>(255^s)&255,Gs=s=>(255^s)+1&255;var Hi={};Ur(Hi,{code:()=>$e,isCode:()=>ne,isName:()=>dn,name:()=>oe,normalFsTypes:()=>Ui});var ne=s=>oe.has(s),dn=s=>$e.has(s),Ui=new Set(["0","","1","2","3","4","5","6","7","D"]),oe=new Map([["0","File"],["","OldFile"],["1","Link"],["2","SymbolicLink"],["3","CharacterDevice"],["4","BlockDevice"],["5","Directory"],["6","FIFO"],["7","ContiguousFile"],["g","GlobalExtendedHeader"],["x","ExtendedHeader"],["A","SolarisACL"],["D","GNUDumpDir"],["I","Inode"],["K","NextFileHasLongLinkpath"],["L","NextFileHasLongPath"],["M","ContinuationFile"],["N","OldGnuLongPath"],["S","SparseFile"],["V","TapeVolumeHeader"],["X","OldExtendedHeader"]]),$e=new Map(Array.from(oe).map(s=>[s[1],s[0]]));var mn=s=>s===void 0||s<0?void 0:s,F=class{cksumValid=false;needPax=false;nullBlock=false;block;path;mode;uid;gid;size;cksum;#t="Unsupported";linkpath;uname;gname;devmaj=0;devmin=0;atime;ctime;mtime;charset;comment;constructor(t,e=0,i,r){Buffer.isBuffer(t)?this.decode(t,e||0,i,r):t&&this.#i(t);}decode(t,e,i,r){if(e||(e=0),!t||!(t.length>=e+512))throw new Error("need 512 bytes for header");let n=xt(t,e+156,1),o=Ui.has(n),h=o?i:void 0,a=o?r:void 0;if(this.path=h?.path??xt(t,e,100),this.mode=h?.mode??a?.mode??lt(t,e+100,8),this.uid=h?.uid??a?.uid??lt(t,e+108,8),this.gid=h?.gid??a?.gid??lt(t,e+116,8),this.size=mn(h?.size??a?.size??lt(t,e+124,12)),this.mtime=h?.mtime??a?.mtime??Wi(t,e+136,12),this.cksum=lt(t,e+148,12),a&&this.#i(a,true),h&&this.#i(h),ne(n)&&(this.#t=n||"0"),this.#t==="0"&&this.path.slice(-1)==="/"&&(this.#t="5"),this.#t==="5"&&(this.size=0),this.linkpath=xt(t,e+157,100),t.subarray(e+257,e+265).toString()==="ustar\x0000")if(this.uname=h?.uname??a?.uname??xt(t,e+265,32),this.gname=h?.gname??a?.gname??xt(t,e+297,32),this.devmaj=h?.devmaj??a?.devmaj??lt(t,e+329,8)??0,this.devmin=h?.devmin??a?.devmin??lt(t,e+337,8)??0,t[e+475]!==0){let c=xt(t,e+345,155);this.path=c+"/"+this.path;}else {let c=xt(t,e+345,130);c&&(this.path=c+"/"+this.path),this.atime=i?.atime??r?.atime??Wi(t,e+476,12),this.ctime=i?.ctime??r?.ctime??Wi(t,e+488,12);}let l=256;for(let c=e;c<e+148;c++)l+=t[c];for(let c=e+156;c<e+512;c++)l+=t[c];this.cksumValid=l===this.cksum,this.cksum===void 0&&l===256&&(this.nullBlock=true);}#i(t,e=false){Object.assign(this,Object.fromEntries(Object.entries(t).filter(([i,r])=>!(r==null||i==="size"&&Number(r)<0||i==="path"&&e||i==="linkpath"&&e||i==="global"))));}encode(t,e=0){if(t||(t=this.block=Buffer.alloc(512)),this.#t==="Unsupported"&&(this.#t="0"),!(t.length>=e+512))throw new Error("need 512 bytes for header");let i=this.ctime||this.atime?130:155,r=un(this.path||"",i),n=r[0],o=r[1];this.needPax=!!r[2],this.needPax=Lt(t,e,100,n)||this.needPax,this.needPax=ct(t,e+100,8,this.mode)||this.needPax,this.needPax=ct(t,e+108,8,this.uid)||this.needPax,this.needPax=ct(t,e+116,8,this.gid)||this.needPax,this.needPax=ct(t,e+124,12,this.size)||this.needPax,this.needPax=Gi(t,e+136,12,this.mtime)||this.needPax,t[e+156]=Number(this.#t.codePointAt(0)),this.needPax=Lt(t,e+157,100,this.linkpath)||this.needPax,t.write("ustar\x0000",e+257,8),this.needPax=Lt(t,e+265,32,this.uname)||this.needPax,this.needPax=Lt(t,e+297,32,this.gname)||this.needPax,this.needPax=ct(t,e+329,8,this.devmaj)||this.needPax,this.needPax=ct(t,e+337,8,this.devmin)||this.needPax,this.needPax=Lt(t,e+345,i,o)||this.needPax,t[e+475]!==0?this.needPax=Lt(t,e+345,155,o)||this.needPax:(this.needPax=Lt(t,e+345,130,o)||this.needPax,this.needPax=Gi(t,e+476,12,this.atime)||this.needPax,this.needPax=Gi(t,e+488,12,this.ctime)||this.needPax);let h=256;for(let a=e;a<e+148;a++)h+=t[a];for(let a=e+156;a<e+512;a++)h+=t[a];return this.cksum=h,ct(t,e+148,8,this.cksum),this.cksumValid=true,this.needPax}get type(){return this.#t==="Unsupported"?this.#t:oe.get(this.#t)}get typeKey(){return this.#t}set type(t){let e=String($e.get(t));if(ne(e)||e==="Unsupported")this.#t=e;else if(ne(t))this.#t=t;else throw new TypeError("invalid entry type: "+t)}},un=(s,t)=>{let i=s,r="",n,o=posix.parse(s).root||".";if(Buffer.byteLength(i)<100)n=[i,r,false];else {r=posix.dirname(i),i=posix.basename(i);do Buffer.byteLength(i)<=100&&Buffer.byteLength(r)<=t?n=[i,r,false]:Buffer.byteLength(i)>100&&Buffer.byteLength(r)<=t?n=[i.slice(0,99),r,true]:(i=posix.join(posix.basename(r),i),r=posix.dirname(r));while(r!==o&&n===void 0);n||(n=[s.slice(0,99),"",true]);}return n},xt=(s,t,e)=>s.subarray(t,t+e).toString("utf8").replace(/\0.*/,""),Wi=(s,t,e)=>pn(lt(s,t,e)),pn=s=>s===void 0?void 0:new Date(s*1e3),lt=(s,t,e)=>Number(s[t])&128?Hs(s.subarray(t,t+e)):wn(s,t,e),En=s=>isNaN(s)?void 0:s,wn=(s,t,e)=>En(parseInt(s.subarray(t,t+e).toString("utf8").replace(/\0.*$/,"").trim(),8)),Sn={12:8589934591,8:2097151},ct=(s,t,e,i)=>i===void 0?false:i>Sn[e]||i<0?(Us(i,s.subarray(t,t+e)),true):(yn(s,t,e,i),false),yn=(s,t,e,i)=>s.write(Rn(i,e),t,e,"ascii"),Rn=(s,t)=>gn(Math.floor(s).toString(8),t),gn=(s,t)=>(s.length===t-1?s:new Array(t-s.length-1).join("0")+s+" ")+"\0",Gi=(s,t,e,i)=>i===void 0?false:ct(s,t,e,i.getTime()/1e3),bn=new Array(156).join("\0"),Lt=(s,t,e,i)=>i===void 0?false:(s.write(i+bn,t,e,"utf8"),i.length!==Buffer.byteLength(i)||i.length>e);var On=/^(?:0|[1-9]\d*)$/,ft=class s{atime;mtime;ctime;charset;comment;gid;uid;gname;uname;linkpath;dev;ino;nlink;path;size;mode;global;constructor(t,e=false){this.atime=t.atime,this.charset=t.charset,this.comment=t.comment,this.ctime=t.ctime,this.dev=t.dev,this.gid=t.gid,this.global=e,this.gname=t.gname,this.ino=t.ino,this.linkpath=t.linkpath,this.mtime=t.mtime,this.nlink=t.nlink,this.path=t.path,this.size=t.size,this.uid=t.uid,this.uname=t.uname;}encode(){let t=this.encodeBody();if(t==="")return Buffer.allocUnsafe(0);let e=Buffer.byteLength(t),i=512*Math.ceil(1+e/512),r=Buffer.allocUnsafe(i);for(let n=0;n<512;n++)r[n]=0;new F({path:("PaxHeader/"+basename(this.path??"")).slice(0,99),mode:this.mode||420,uid:this.uid,gid:this.gid,size:e,mtime:this.mtime,type:this.global?"GlobalExtendedHeader":"ExtendedHeader",linkpath:"",uname:this.uname||"",gname:this.gname||"",devmaj:0,devmin:0,atime:this.atime,ctime:this.ctime}).encode(r),r.write(t,512,e,"utf8");for(let n=e+512;n<r.length;n++)r[n]=0;return r}encodeBody(){return this.encodeField("path")+this.encodeField("ctime")+this.encodeField("atime")+this.encodeField("dev")+this.encodeField("ino")+this.encodeField("nlink")+this.encodeField("charset")+this.encodeField("comment")+this.encodeField("gid")+this.encodeField("gname")+this.encodeField("linkpath")+this.encodeField("mtime")+this.encodeField("size")+this.encodeField("uid")+this.encodeField("uname")}encodeField(t){if(this[t]===void 0)return "";let e=this[t],i=e instanceof Date?e.getTime()/1e3:e,r=" "+(t==="dev"||t==="ino"||t==="nlink"?"SCHILY.":"")+t+"="+i+`
`,n=Buffer.byteLength(r),o=Math.floor(Math.log(n)/Math.log(10))+1;return n+o>=Math.pow(10,o)&&(o+=1),o+n+r}static parse(t,e,i=false){return new s(Tn(xn(t),e),i)}},Tn=(s,t)=>t?Object.assign({},t,s):s,xn=s=>s.replace(/\n$/,"").split(`
`).reduce(Ln,Object.create(null)),Ln=(s,t)=>{let e=parseInt(t,10);if(e!==Buffer.byteLength(t)+1)return s;t=t.slice((e+" ").length);let i=t.split("="),r=i.shift();if(!r)return s;let n=r.replace(/^SCHILY\.(dev|ino|nlink)/,"$1"),o=i.join("=").replace(/\0.*/,"");switch(n){case "path":case "linkpath":case "type":case "charset":case "comment":case "gname":case "uname":s[n]=o;break;case "ctime":case "atime":case "mtime":s[n]=new Date(Number(o)*1e3);break;case "size":if(!On.test(o.trim()))break;let h=+o;if(!Number.isSafeInteger(h))break;s[n]=h;break;case "gid":case "uid":case "dev":case "ino":case "nlink":case "mode":s[n]=+o;break}return s};var Dn=process.env.TESTING_TAR_FAKE_PLATFORM||process.platform,f=Dn!=="win32"?s=>String(s):s=>String(s).replaceAll(/\\/g,"/");var Ve=class extends A{extended;globalExtended;header;startBlockSize;blockRemain;remain;type;meta=false;ignore=false;path;mode;uid;gid;uname;gname;size=0;mtime;atime;ctime;linkpath;dev;ino;nlink;invalid=false;absolute;unsupported=false;constructor(t,e,i){switch(super({}),this.pause(),this.extended=e,this.globalExtended=i,this.header=t,this.remain=t.size??0,this.startBlockSize=512*Math.ceil(this.remain/512),this.blockRemain=this.startBlockSize,this.type=t.type,this.type){case "File":case "OldFile":case "Link":case "SymbolicLink":case "CharacterDevice":case "BlockDevice":case "Directory":case "FIFO":case "ContiguousFile":case "GNUDumpDir":break;case "NextFileHasLongLinkpath":case "NextFileHasLongPath":case "OldGnuLongPath":case "GlobalExtendedHeader":case "ExtendedHeader":case "OldExtendedHeader":this.meta=true;break;default:this.ignore=true;}if(!t.path)throw new Error("no path provided for tar.ReadEntry");this.path=f(t.path),this.mode=t.mode,this.mode&&(this.mode=this.mode&4095),this.uid=t.uid,this.gid=t.gid,this.uname=t.uname,this.gname=t.gname,this.size=this.remain,this.mtime=t.mtime,this.atime=t.atime,this.ctime=t.ctime,this.linkpath=t.linkpath?f(t.linkpath):void 0,this.uname=t.uname,this.gname=t.gname,e&&this.#t(e),i&&this.#t(i,true);}write(t){let e=t.length;if(e>this.blockRemain)throw new Error("writing more to entry than is appropriate");let i=this.remain,r=this.blockRemain;return this.remain=Math.max(0,i-e),this.blockRemain=Math.max(0,r-e),this.ignore?true:i>=e?super.write(t):super.write(t.subarray(0,i))}#t(t,e=false){t.path&&(t.path=f(t.path)),t.linkpath&&(t.linkpath=f(t.linkpath)),Object.assign(this,Object.fromEntries(Object.entries(t).filter(([i,r])=>!(r==null||i==="path"&&e))));}};var Dt=(s,t,e,i={})=>{s.file&&(i.file=s.file),s.cwd&&(i.cwd=s.cwd),i.code=e instanceof Error&&e.code||t,i.tarCode=t,!s.strict&&i.recoverable!==false?(e instanceof Error&&(i=Object.assign(e,i),e=e.message),s.emit("warn",t,e,i)):e instanceof Error?s.emit("error",Object.assign(e,i)):s.emit("error",Object.assign(new Error(`${t}: ${e}`),i));};var An=1024*1024,Xi=Buffer.from([31,139]),qi=Buffer.from([40,181,47,253]),In=Math.max(Xi.length,qi.length),B=Symbol("state"),Nt=Symbol("writeEntry"),it=Symbol("readEntry"),Zi=Symbol("nextEntry"),Zs=Symbol("processEntry"),$=Symbol("extendedHeader"),he=Symbol("globalExtendedHeader"),dt=Symbol("meta"),Ys=Symbol("emitMeta"),p=Symbol("buffer"),st=Symbol("queue"),mt=Symbol("ended"),Yi=Symbol("emittedEnd"),At=Symbol("emit"),w=Symbol("unzip"),Xe=Symbol("consumeChunk"),qe=Symbol("consumeChunkSub"),Ki=Symbol("consumeBody"),Ks=Symbol("consumeMeta"),$s=Symbol("consumeHeader"),ae=Symbol("consuming"),$i=Symbol("bufferConcat"),Qe=Symbol("maybeEnd"),Yt=Symbol("writing"),V=Symbol("aborted"),Je=Symbol("onDone"),It=Symbol("sawValidEntry"),je=Symbol("sawNullBlock"),ti=Symbol("sawEOF"),Vs=Symbol("closeStream"),Cn=1e3,le=Symbol("compressedBytesRead"),Vi=Symbol("decompressedBytesRead"),Xs=Symbol("checkDecompressionRatio"),Fn=()=>true,rt=class extends EventEmitter$1{file;strict;maxMetaEntrySize;filter;brotli;zstd;maxDecompressionRatio;writable=true;readable=false;[st]=[];[p];[it];[Nt];[B]="begin";[dt]="";[$];[he];[mt]=false;[w];[V]=false;[It];[je]=false;[ti]=false;[Yt]=false;[ae]=false;[Yi]=false;[le]=0;[Vi]=0;constructor(t={}){super(),this.file=t.file||"",this.on(Je,()=>{(this[B]==="begin"||this[It]===false)&&this.warn("TAR_BAD_ARCHIVE","Unrecognized archive format");}),t.ondone?this.on(Je,t.ondone):this.on(Je,()=>{this.emit("prefinish"),this.emit("finish"),this.emit("end");}),this.strict=!!t.strict,this.maxDecompressionRatio=typeof t.maxDecompressionRatio=="number"?t.maxDecompressionRatio:Cn,this.maxMetaEntrySize=t.maxMetaEntrySize||An,this.filter=typeof t.filter=="function"?t.filter:Fn;let e=t.file&&(t.file.endsWith(".tar.br")||t.file.endsWith(".tbr"));this.brotli=!(t.gzip||t.zstd)&&t.brotli!==void 0?t.brotli:e?void 0:false;let i=t.file&&(t.file.endsWith(".tar.zst")||t.file.endsWith(".tzst"));this.zstd=!(t.gzip||t.brotli)&&t.zstd!==void 0?t.zstd:i?true:void 0,this.on("end",()=>this[Vs]()),typeof t.onwarn=="function"&&this.on("warn",t.onwarn),typeof t.onReadEntry=="function"&&this.on("entry",t.onReadEntry);}warn(t,e,i={}){Dt(this,t,e,i);}[$s](t,e){this[It]===void 0&&(this[It]=false);let i;try{i=new F(t,e,this[$],this[he]);}catch(r){return this.warn("TAR_ENTRY_INVALID",r)}if(i.nullBlock)this[je]?(this[ti]=true,this[B]==="begin"&&(this[B]="header"),this[At]("eof")):(this[je]=true,this[At]("nullBlock"));else if(this[je]=false,!i.cksumValid)this.warn("TAR_ENTRY_INVALID","checksum failure",{header:i});else if(!i.path)this.warn("TAR_ENTRY_INVALID","path is required",{header:i});else {let r=i.type;if(/^(Symbolic)?Link$/.test(r)&&!i.linkpath)this.warn("TAR_ENTRY_INVALID","linkpath required",{header:i});else if(!/^(Symbolic)?Link$/.test(r)&&!/^(Global)?ExtendedHeader$/.test(r)&&i.linkpath)this.warn("TAR_ENTRY_INVALID","linkpath forbidden",{header:i});else {let n=this[Nt]=new Ve(i,this[$],this[he]);if(!this[It])if(n.remain){let o=()=>{n.invalid||(this[It]=true);};n.on("end",o);}else this[It]=true;n.meta?n.size>this.maxMetaEntrySize?(n.ignore=true,this[At]("ignoredEntry",n),this[B]="ignore",n.resume()):n.size>0&&(this[dt]="",n.on("data",o=>this[dt]+=o),this[B]="meta"):(this[$]=void 0,n.ignore=n.ignore||!this.filter(n.path,n),n.ignore?(this[At]("ignoredEntry",n),this[B]=n.remain?"ignore":"header",n.resume()):(n.remain?this[B]="body":(this[B]="header",n.end()),this[it]?this[st].push(n):(this[st].push(n),this[Zi]())));}}}[Vs](){queueMicrotask(()=>this.emit("close"));}[Zs](t){let e=true;if(!t)this[it]=void 0,e=false;else if(Array.isArray(t)){let[i,...r]=t;this.emit(i,...r);}else this[it]=t,this.emit("entry",t),t.emittedEnd||(t.on("end",()=>this[Zi]()),e=false);return e}[Zi](){do;while(this[Zs](this[st].shift()));if(this[st].length===0){let t=this[it];!t||t.flowing||t.size===t.remain?this[Yt]||this.emit("drain"):t.once("drain",()=>this.emit("drain"));}}[Ki](t,e){let i=this[Nt];if(!i)throw new Error("attempt to consume body without entry??");let r=i.blockRemain??0,n=r>=t.length&&e===0?t:t.subarray(e,e+r);return i.write(n),i.blockRemain||(this[B]="header",this[Nt]=void 0,i.end()),n.length}[Ks](t,e){let i=this[Nt],r=this[Ki](t,e);return !this[Nt]&&i&&this[Ys](i),r}[At](t,e,i){this[st].length===0&&!this[it]?this.emit(t,e,i):this[st].push([t,e,i]);}[Ys](t){switch(this[At]("meta",this[dt]),t.type){case "ExtendedHeader":case "OldExtendedHeader":this[$]=ft.parse(this[dt],this[$],false);break;case "GlobalExtendedHeader":this[he]=ft.parse(this[dt],this[he],true);break;case "NextFileHasLongPath":case "OldGnuLongPath":{let e=this[$]??Object.create(null);this[$]=e,e.path=this[dt].replace(/\0.*/,"");break}case "NextFileHasLongLinkpath":{let e=this[$]||Object.create(null);this[$]=e,e.linkpath=this[dt].replace(/\0.*/,"");break}default:throw new Error("unknown meta: "+t.type)}}abort(t){if(!this[V]){if(this[w]){let e=this[w];e.write=()=>true,e.end=()=>e,e.emit=()=>false,e.destroy?.();}this[V]=true,this.emit("abort",t),this.warn("TAR_ABORT",t,{recoverable:false});}}[Xs](t){this[Vi]+=t.length;let e=this[Vi]/this[le];return e>this.maxDecompressionRatio?(this.abort(new Error(`max decompression ratio exceeded: ${e.toFixed(2)} > ${this.maxDecompressionRatio}`)),false):true}write(t,e,i){if(typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,typeof e=="string"?e:"utf8")),this[V])return i?.(),false;if((this[w]===void 0||this.brotli===void 0&&this[w]===false)&&t){if(this[p]&&(t=Buffer.concat([this[p],t]),this[p]=void 0),t.length<In)return this[p]=t,i?.(),true;for(let a=0;this[w]===void 0&&a<Xi.length;a++)t[a]!==Xi[a]&&(this[w]=false);let o=false;if(this[w]===false&&this.zstd!==false){o=true;for(let a=0;a<qi.length;a++)if(t[a]!==qi[a]){o=false;break}}let h=this.brotli===void 0&&!o;if(this[w]===false&&h)if(t.length<512)if(this[mt])this.brotli=true;else return this[p]=t,i?.(),true;else try{new F(t.subarray(0,512)),this.brotli=!1;}catch{this.brotli=true;}if(this[w]===void 0||this[w]===false&&(this.brotli||o)){let a=this[mt];this[mt]=false,this[w]=this[w]===void 0?new Ue({}):o?new Ke({}):new Ge({}),this[w].on("data",c=>{this[Xs](c)&&this[Xe](c);}),this[w].on("error",c=>{this[V]||this.abort(c);}),this[w].on("end",()=>{this[mt]=true,this[Xe]();}),this[Yt]=true,this[le]+=t.length;let l=!!this[w][a?"end":"write"](t);return this[Yt]=false,i?.(),l}}this[Yt]=true,this[w]?(this[le]+=t.length,this[w].write(t)):this[Xe](t),this[Yt]=false;let n=this[st].length>0?false:this[it]?this[it].flowing:true;return !n&&this[st].length===0&&this[it]?.once("drain",()=>this.emit("drain")),i?.(),n}[$i](t){t&&!this[V]&&(this[p]=this[p]?Buffer.concat([this[p],t]):t);}[Qe](){if(this[mt]&&!this[Yi]&&!this[V]&&!this[ae]){this[Yi]=true;let t=this[Nt];if(t?.blockRemain){let e=this[p]?this[p].length:0;this.warn("TAR_BAD_ARCHIVE",`Truncated input (needed ${t.blockRemain} more bytes, only ${e} available)`,{entry:t}),this[p]&&t.write(this[p]),t.end();}this[At](Je);}}[Xe](t){if(this[ae]&&t)this[$i](t);else if(!t&&!this[p])this[Qe]();else if(t){if(this[ae]=true,this[p]){this[$i](t);let e=this[p];this[p]=void 0,this[qe](e);}else this[qe](t);for(;this[p]&&this[p]?.length>=512&&!this[V]&&!this[ti];){let e=this[p];this[p]=void 0,this[qe](e);}this[ae]=false;}(!this[p]||this[mt])&&this[Qe]();}[qe](t){let e=0,i=t.length;for(;e+512<=i&&!this[V]&&!this[ti];)switch(this[B]){case "begin":case "header":this[$s](t,e),e+=512;break;case "ignore":case "body":e+=this[Ki](t,e);break;case "meta":e+=this[Ks](t,e);break;default:throw new Error("invalid state: "+this[B])}e<i&&(this[p]=this[p]?Buffer.concat([t.subarray(e),this[p]]):t.subarray(e));}end(t,e,i){return typeof t=="function"&&(i=t,e=void 0,t=void 0),typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,e)),i&&this.once("finish",i),this[V]||(this[w]?(t&&(this[le]+=t.length,this[w].write(t)),this[w].end()):(this[mt]=true,(this.brotli===void 0||this.zstd===void 0)&&(t=t||Buffer.alloc(0)),t&&this.write(t),this[Qe]())),this}};var ut=s=>{let t=s.length-1,e=-1;for(;t>-1&&s.charAt(t)==="/";)e=t,t--;return e===-1?s:s.slice(0,e)};var vn=s=>{let t=s.onReadEntry;s.onReadEntry=t?e=>{t(e),e.resume();}:e=>e.resume();},Qi=(s,t)=>{let e=new Map(t.map(o=>[ut(o),true])),i=s.filter,r=100,n=(o,h="",a=0)=>{if(a>=r)return e.set(o,false),false;let l=h||parse$1(o).root||".",c;if(o===l)c=false;else {let d=e.get(o);c=d!==void 0?d:n(dirname(o),l,a+1);}return e.set(o,c),c};s.filter=i?(o,h)=>i(o,h)&&n(ut(o)):o=>n(ut(o));},Bn=s=>{let t=new rt(s),e=s.file,i;try{i=m.openSync(e,"r");let r=m.fstatSync(i),n=s.maxReadSize||16*1024*1024;if(r.size<n){let o=Buffer.allocUnsafe(r.size),h=m.readSync(i,o,0,r.size,0);t.end(h===o.byteLength?o:o.subarray(0,h));}else {let o=0,h=Buffer.allocUnsafe(n);for(;o<r.size;){let a=m.readSync(i,h,0,n,o);if(a===0)break;o+=a,t.write(h.subarray(0,a));}t.end();}}finally{if(typeof i=="number")try{m.closeSync(i);}catch{}}},Pn=(s,t)=>{let e=new rt(s),i=s.maxReadSize||16*1024*1024,r=s.file;return new Promise((o,h)=>{e.on("error",h),e.on("end",o),m.stat(r,(a,l)=>{if(a)h(a);else {let c=new _t(r,{readSize:i,size:l.size});c.on("error",h),c.pipe(e);}});})},Ct=K(Bn,Pn,s=>new rt(s),s=>new rt(s),(s,t)=>{t?.length&&Qi(s,t),s.noResume||vn(s);});var Ji=(s,t,e)=>(s&=4095,e&&(s=(s|384)&-19),t&&(s&256&&(s|=64),s&32&&(s|=8),s&4&&(s|=1)),s);var{isAbsolute:Un,parse:qs}=win32,ce=s=>{let t="",e=qs(s);for(;Un(s)||e.root;){let i=s.charAt(0)==="/"&&s.slice(0,4)!=="//?/"?"/":e.root;s=s.slice(i.length),t+=i,e=qs(s);}return [t,s]};var ei=["|","<",">","?",":"],ji=ei.map(s=>String.fromCodePoint(61440+Number(s.codePointAt(0)))),Hn=new Map(ei.map((s,t)=>[s,ji[t]])),Wn=new Map(ji.map((s,t)=>[s,ei[t]])),ts=s=>ei.reduce((t,e)=>t.split(e).join(Hn.get(e)),s),Qs=s=>ji.reduce((t,e)=>t.split(e).join(Wn.get(e)),s);var rr=(s,t)=>t?(s=f(s).replace(/^\.(\/|$)/,""),ut(t)+"/"+s):f(s),Gn=16*1024*1024,tr=Symbol("process"),er=Symbol("file"),ir=Symbol("directory"),is=Symbol("symlink"),sr=Symbol("hardlink"),fe=Symbol("header"),ii=Symbol("read"),ss=Symbol("lstat"),si=Symbol("onlstat"),rs=Symbol("onread"),ns=Symbol("onreadlink"),os=Symbol("openfile"),hs=Symbol("onopenfile"),pt=Symbol("close"),ri=Symbol("mode"),as=Symbol("awaitDrain"),es=Symbol("ondrain"),q=Symbol("prefix"),de=class extends A{path;portable;myuid=process.getuid&&process.getuid()||0;myuser=process.env.USER||"";maxReadSize;linkCache;statCache;preservePaths;cwd;strict;mtime;noPax;noMtime;prefix;fd;blockLen=0;blockRemain=0;buf;pos=0;remain=0;length=0;offset=0;win32;absolute;header;type;linkpath;stat;onWriteEntry;#t=false;constructor(t,e={}){let i=se(e);super(),this.path=f(t),this.portable=!!i.portable,this.maxReadSize=i.maxReadSize||Gn,this.linkCache=i.linkCache||new Map,this.statCache=i.statCache||new Map,this.preservePaths=!!i.preservePaths,this.cwd=f(i.cwd||process.cwd()),this.strict=!!i.strict,this.noPax=!!i.noPax,this.noMtime=!!i.noMtime,this.mtime=i.mtime,this.prefix=i.prefix?f(i.prefix):void 0,this.onWriteEntry=i.onWriteEntry,typeof i.onwarn=="function"&&this.on("warn",i.onwarn);let r=false;if(!this.preservePaths){let[o,h]=ce(this.path);o&&typeof h=="string"&&(this.path=h,r=o);}this.win32=!!i.win32||process.platform==="win32",this.win32&&(this.path=Qs(this.path.replaceAll(/\\/g,"/")),t=t.replaceAll(/\\/g,"/")),this.absolute=f(i.absolute||path__default.resolve(this.cwd,t)),this.path===""&&(this.path="./"),r&&this.warn("TAR_ENTRY_INFO",`stripping ${r} from absolute path`,{entry:this,path:r+this.path});let n=this.statCache.get(this.absolute);n?this[si](n):this[ss]();}warn(t,e,i={}){return Dt(this,t,e,i)}emit(t,...e){return t==="error"&&(this.#t=true),super.emit(t,...e)}[ss](){fs__default.lstat(this.absolute,(t,e)=>{if(t)return this.emit("error",t);this[si](e);});}[si](t){this.statCache.set(this.absolute,t),this.stat=t,t.isFile()||(t.size=0),this.type=Zn(t),this.emit("stat",t),this[tr]();}[tr](){switch(this.type){case "File":return this[er]();case "Directory":return this[ir]();case "SymbolicLink":return this[is]();default:return this.end()}}[ri](t){return Ji(t,this.type==="Directory",this.portable)}[q](t){return rr(t,this.prefix)}[fe](){if(!this.stat)throw new Error("cannot write header before stat");this.type==="Directory"&&this.portable&&(this.noMtime=true),this.onWriteEntry?.(this),this.header=new F({path:this[q](this.path),linkpath:this.type==="Link"&&this.linkpath!==void 0?this[q](this.linkpath):this.linkpath,mode:this[ri](this.stat.mode),uid:this.portable?void 0:this.stat.uid,gid:this.portable?void 0:this.stat.gid,size:this.stat.size,mtime:this.noMtime?void 0:this.mtime||this.stat.mtime,type:this.type==="Unsupported"?void 0:this.type,uname:this.portable?void 0:this.stat.uid===this.myuid?this.myuser:"",atime:this.portable?void 0:this.stat.atime,ctime:this.portable?void 0:this.stat.ctime}),this.header.encode()&&!this.noPax&&super.write(new ft({atime:this.portable?void 0:this.header.atime,ctime:this.portable?void 0:this.header.ctime,gid:this.portable?void 0:this.header.gid,mtime:this.noMtime?void 0:this.mtime||this.header.mtime,path:this[q](this.path),linkpath:this.type==="Link"&&this.linkpath!==void 0?this[q](this.linkpath):this.linkpath,size:this.header.size,uid:this.portable?void 0:this.header.uid,uname:this.portable?void 0:this.header.uname,dev:this.portable?void 0:this.stat.dev,ino:this.portable?void 0:this.stat.ino,nlink:this.portable?void 0:this.stat.nlink}).encode());let t=this.header?.block;if(!t)throw new Error("failed to encode header");super.write(t);}[ir](){if(!this.stat)throw new Error("cannot create directory entry without stat");this.path.slice(-1)!=="/"&&(this.path+="/"),this.stat.size=0,this[fe](),this.end();}[is](){fs__default.readlink(this.absolute,(t,e)=>{if(t)return this.emit("error",t);this[ns](e);});}[ns](t){this.linkpath=f(t),this[fe](),this.end();}[sr](t){if(!this.stat)throw new Error("cannot create link entry without stat");this.type="Link",this.linkpath=f(path__default.relative(this.cwd,t)),this.stat.size=0,this[fe](),this.end();}[er](){if(!this.stat)throw new Error("cannot create file entry without stat");if(this.stat.nlink>1){let t=`${this.stat.dev}:${this.stat.ino}`,e=this.linkCache.get(t);if(e?.indexOf(this.cwd)===0)return this[sr](e);this.linkCache.set(t,this.absolute);}if(this[fe](),this.stat.size===0)return this.end();this[os]();}[os](){fs__default.open(this.absolute,"r",(t,e)=>{if(t)return this.emit("error",t);this[hs](e);});}[hs](t){if(this.fd=t,this.#t)return this[pt]();if(!this.stat)throw new Error("should stat before calling onopenfile");this.blockLen=512*Math.ceil(this.stat.size/512),this.blockRemain=this.blockLen;let e=Math.min(this.blockLen,this.maxReadSize);this.buf=Buffer.allocUnsafe(e),this.offset=0,this.pos=0,this.remain=this.stat.size,this.length=this.buf.length,this[ii]();}[ii](){let{fd:t,buf:e,offset:i,length:r,pos:n}=this;if(t===void 0||e===void 0)throw new Error("cannot read file without first opening");fs__default.read(t,e,i,r,n,(o,h)=>{if(o)return this[pt](()=>this.emit("error",o));this[rs](h);});}[pt](t=()=>{}){this.fd!==void 0&&fs__default.close(this.fd,t);}[rs](t){if(t<=0&&this.remain>0){let r=Object.assign(new Error("encountered unexpected EOF"),{path:this.absolute,syscall:"read",code:"EOF"});return this[pt](()=>this.emit("error",r))}if(t>this.remain){let r=Object.assign(new Error("did not encounter expected EOF"),{path:this.absolute,syscall:"read",code:"EOF"});return this[pt](()=>this.emit("error",r))}if(!this.buf)throw new Error("should have created buffer prior to reading");if(t===this.remain)for(let r=t;r<this.length&&t<this.blockRemain;r++)this.buf[r+this.offset]=0,t++,this.remain++;let e=this.offset===0&&t===this.buf.length?this.buf:this.buf.subarray(this.offset,this.offset+t);this.write(e)?this[es]():this[as](()=>this[es]());}[as](t){this.once("drain",t);}write(t,e,i){if(typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,typeof e=="string"?e:"utf8")),this.blockRemain<t.length){let r=Object.assign(new Error("writing more data than expected"),{path:this.absolute});return this.emit("error",r)}return this.remain-=t.length,this.blockRemain-=t.length,this.pos+=t.length,this.offset+=t.length,super.write(t,null,i)}[es](){if(!this.remain)return this.blockRemain&&super.write(Buffer.alloc(this.blockRemain)),this[pt](t=>t?this.emit("error",t):this.end());if(!this.buf)throw new Error("buffer lost somehow in ONDRAIN");this.offset>=this.length&&(this.buf=Buffer.allocUnsafe(Math.min(this.blockRemain,this.buf.length)),this.offset=0),this.length=this.buf.length-this.offset,this[ii]();}},ni=class extends de{sync=true;[ss](){this[si](fs__default.lstatSync(this.absolute));}[is](){this[ns](fs__default.readlinkSync(this.absolute));}[os](){this[hs](fs__default.openSync(this.absolute,"r"));}[ii](){let t=true;try{let{fd:e,buf:i,offset:r,length:n,pos:o}=this;if(e===void 0||i===void 0)throw new Error("fd and buf must be set in READ method");let h=fs__default.readSync(e,i,r,n,o);this[rs](h),t=!1;}finally{if(t)try{this[pt](()=>{});}catch{}}}[as](t){t();}[pt](t=()=>{}){this.fd!==void 0&&fs__default.closeSync(this.fd),t();}},oi=class extends A{blockLen=0;blockRemain=0;buf=0;pos=0;remain=0;length=0;preservePaths;portable;strict;noPax;noMtime;readEntry;type;prefix;path;mode;uid;gid;uname;gname;header;mtime;atime;ctime;linkpath;size;onWriteEntry;warn(t,e,i={}){return Dt(this,t,e,i)}constructor(t,e={}){let i=se(e);super(),this.preservePaths=!!i.preservePaths,this.portable=!!i.portable,this.strict=!!i.strict,this.noPax=!!i.noPax,this.noMtime=!!i.noMtime,this.onWriteEntry=i.onWriteEntry,this.readEntry=t;let{type:r}=t;if(r==="Unsupported")throw new Error("writing entry that should be ignored");this.type=r,this.type==="Directory"&&this.portable&&(this.noMtime=true),this.prefix=i.prefix,this.path=f(t.path),this.mode=t.mode!==void 0?this[ri](t.mode):void 0,this.uid=this.portable?void 0:t.uid,this.gid=this.portable?void 0:t.gid,this.uname=this.portable?void 0:t.uname,this.gname=this.portable?void 0:t.gname,this.size=t.size,this.mtime=this.noMtime?void 0:i.mtime||t.mtime,this.atime=this.portable?void 0:t.atime,this.ctime=this.portable?void 0:t.ctime,this.linkpath=t.linkpath!==void 0?f(t.linkpath):void 0,typeof i.onwarn=="function"&&this.on("warn",i.onwarn);let n=false;if(!this.preservePaths){let[h,a]=ce(this.path);h&&typeof a=="string"&&(this.path=a,n=h);}this.remain=t.size,this.blockRemain=t.startBlockSize,this.onWriteEntry?.(this),this.header=new F({path:this[q](this.path),linkpath:this.type==="Link"&&this.linkpath!==void 0?this[q](this.linkpath):this.linkpath,mode:this.mode,uid:this.portable?void 0:this.uid,gid:this.portable?void 0:this.gid,size:this.size,mtime:this.noMtime?void 0:this.mtime,type:this.type,uname:this.portable?void 0:this.uname,atime:this.portable?void 0:this.atime,ctime:this.portable?void 0:this.ctime}),n&&this.warn("TAR_ENTRY_INFO",`stripping ${n} from absolute path`,{entry:this,path:n+this.path}),this.header.encode()&&!this.noPax&&super.write(new ft({atime:this.portable?void 0:this.atime,ctime:this.portable?void 0:this.ctime,gid:this.portable?void 0:this.gid,mtime:this.noMtime?void 0:this.mtime,path:this[q](this.path),linkpath:this.type==="Link"&&this.linkpath!==void 0?this[q](this.linkpath):this.linkpath,size:this.size,uid:this.portable?void 0:this.uid,uname:this.portable?void 0:this.uname,dev:this.portable?void 0:this.readEntry.dev,ino:this.portable?void 0:this.readEntry.ino,nlink:this.portable?void 0:this.readEntry.nlink}).encode());let o=this.header?.block;if(!o)throw new Error("failed to encode header");super.write(o),t.pipe(this);}[q](t){return rr(t,this.prefix)}[ri](t){return Ji(t,this.type==="Directory",this.portable)}write(t,e,i){typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,typeof e=="string"?e:"utf8"));let r=t.length;if(r>this.blockRemain)throw new Error("writing more to entry than is appropriate");return this.blockRemain-=r,super.write(t,i)}end(t,e,i){return this.blockRemain&&super.write(Buffer.alloc(this.blockRemain)),typeof t=="function"&&(i=t,e=void 0,t=void 0),typeof e=="function"&&(i=e,e=void 0),typeof t=="string"&&(t=Buffer.from(t,e??"utf8")),i&&this.once("finish",i),t?super.end(t,i):super.end(i),this}},Zn=s=>s.isFile()?"File":s.isDirectory()?"Directory":s.isSymbolicLink()?"SymbolicLink":"Unsupported";var hi=class s{tail;head;length=0;static create(t=[]){return new s(t)}constructor(t=[]){for(let e of t)this.push(e);}*[Symbol.iterator](){for(let t=this.head;t;t=t.next)yield t.value;}removeNode(t){if(t.list!==this)throw new Error("removing node which does not belong to this list");let e=t.next,i=t.prev;return e&&(e.prev=i),i&&(i.next=e),t===this.head&&(this.head=e),t===this.tail&&(this.tail=i),this.length--,t.next=void 0,t.prev=void 0,t.list=void 0,e}unshiftNode(t){if(t===this.head)return;t.list&&t.list.removeNode(t);let e=this.head;t.list=this,t.next=e,e&&(e.prev=t),this.head=t,this.tail||(this.tail=t),this.length++;}pushNode(t){if(t===this.tail)return;t.list&&t.list.removeNode(t);let e=this.tail;t.list=this,t.prev=e,e&&(e.next=t),this.tail=t,this.head||(this.head=t),this.length++;}push(...t){for(let e=0,i=t.length;e<i;e++)Kn(this,t[e]);return this.length}unshift(...t){for(var e=0,i=t.length;e<i;e++)$n(this,t[e]);return this.length}pop(){if(!this.tail)return;let t=this.tail.value,e=this.tail;return this.tail=this.tail.prev,this.tail?this.tail.next=void 0:this.head=void 0,e.list=void 0,this.length--,t}shift(){if(!this.head)return;let t=this.head.value,e=this.head;return this.head=this.head.next,this.head?this.head.prev=void 0:this.tail=void 0,e.list=void 0,this.length--,t}forEach(t,e){e=e||this;for(let i=this.head,r=0;i;r++)t.call(e,i.value,r,this),i=i.next;}forEachReverse(t,e){e=e||this;for(let i=this.tail,r=this.length-1;i;r--)t.call(e,i.value,r,this),i=i.prev;}get(t){let e=0,i=this.head;for(;i&&e<t;e++)i=i.next;if(e===t&&i)return i.value}getReverse(t){let e=0,i=this.tail;for(;i&&e<t;e++)i=i.prev;if(e===t&&i)return i.value}map(t,e){e=e||this;let i=new s;for(let r=this.head;r;)i.push(t.call(e,r.value,this)),r=r.next;return i}mapReverse(t,e){e=e||this;var i=new s;for(let r=this.tail;r;)i.push(t.call(e,r.value,this)),r=r.prev;return i}reduce(t,e){let i,r=this.head;if(arguments.length>1)i=e;else if(this.head)r=this.head.next,i=this.head.value;else throw new TypeError("Reduce of empty list with no initial value");for(var n=0;r;n++)i=t(i,r.value,n),r=r.next;return i}reduceReverse(t,e){let i,r=this.tail;if(arguments.length>1)i=e;else if(this.tail)r=this.tail.prev,i=this.tail.value;else throw new TypeError("Reduce of empty list with no initial value");for(let n=this.length-1;r;n--)i=t(i,r.value,n),r=r.prev;return i}toArray(){let t=new Array(this.length);for(let e=0,i=this.head;i;e++)t[e]=i.value,i=i.next;return t}toArrayReverse(){let t=new Array(this.length);for(let e=0,i=this.tail;i;e++)t[e]=i.value,i=i.prev;return t}slice(t=0,e=this.length){e<0&&(e+=this.length),t<0&&(t+=this.length);let i=new s;if(e<t||e<0)return i;t<0&&(t=0),e>this.length&&(e=this.length);let r=this.head,n=0;for(n=0;r&&n<t;n++)r=r.next;for(;r&&n<e;n++,r=r.next)i.push(r.value);return i}sliceReverse(t=0,e=this.length){e<0&&(e+=this.length),t<0&&(t+=this.length);let i=new s;if(e<t||e<0)return i;t<0&&(t=0),e>this.length&&(e=this.length);let r=this.length,n=this.tail;for(;n&&r>e;r--)n=n.prev;for(;n&&r>t;r--,n=n.prev)i.push(n.value);return i}splice(t,e=0,...i){t>this.length&&(t=this.length-1),t<0&&(t=this.length+t);let r=this.head;for(let o=0;r&&o<t;o++)r=r.next;let n=[];for(let o=0;r&&o<e;o++)n.push(r.value),r=this.removeNode(r);r?r!==this.tail&&(r=r.prev):r=this.tail;for(let o of i)r=Yn(this,r,o);return n}reverse(){let t=this.head,e=this.tail;for(let i=t;i;i=i.prev){let r=i.prev;i.prev=i.next,i.next=r;}return this.head=e,this.tail=t,this}};function Yn(s,t,e){let i=t,r=t?t.next:s.head,n=new me(e,i,r,s);return n.next===void 0&&(s.tail=n),n.prev===void 0&&(s.head=n),s.length++,n}function Kn(s,t){s.tail=new me(t,s.tail,void 0,s),s.head||(s.head=s.tail),s.length++;}function $n(s,t){s.head=new me(t,void 0,s.head,s),s.tail||(s.tail=s.head),s.length++;}var me=class{list;next;prev;value;constructor(t,e,i,r){this.list=r,this.value=t,e?(e.next=this,this.prev=e):this.prev=void 0,i?(i.prev=this,this.next=i):this.next=void 0;}};var pi=class{path;absolute;entry;stat;readdir;pending=false;pendingLink=false;ignore=false;piped=false;constructor(t,e){this.path=t||"./",this.absolute=e;}},nr=Buffer.alloc(1024),li=Symbol("onStat"),ue=Symbol("ended"),W=Symbol("queue"),pe=Symbol("pendingLinks"),Et=Symbol("current"),Ft=Symbol("process"),Ee=Symbol("processing"),ai=Symbol("processJob"),G=Symbol("jobs"),ls=Symbol("jobDone"),ci=Symbol("addFSEntry"),or=Symbol("addTarEntry"),ds=Symbol("stat"),ms=Symbol("readdir"),fi=Symbol("onreaddir"),di=Symbol("pipe"),hr=Symbol("entry"),cs=Symbol("entryOpt"),mi=Symbol("writeEntryClass"),lr=Symbol("write"),fs=Symbol("ondrain"),wt=class extends A{sync=false;opt;cwd;maxReadSize;preservePaths;strict;noPax;prefix;linkCache;statCache;file;portable;zip;readdirCache;noDirRecurse;follow;noMtime;mtime;filter;jobs;[mi];onWriteEntry;[W];[pe]=new Map;[G]=0;[Ee]=false;[ue]=false;constructor(t={}){if(super(),this.opt=t,this.file=t.file||"",this.cwd=t.cwd||process.cwd(),this.maxReadSize=t.maxReadSize,this.preservePaths=!!t.preservePaths,this.strict=!!t.strict,this.noPax=!!t.noPax,this.prefix=f(t.prefix||""),this.linkCache=t.linkCache||new Map,this.statCache=t.statCache||new Map,this.readdirCache=t.readdirCache||new Map,this.onWriteEntry=t.onWriteEntry,this[mi]=de,typeof t.onwarn=="function"&&this.on("warn",t.onwarn),this.portable=!!t.portable,t.gzip||t.brotli||t.zstd){if((t.gzip?1:0)+(t.brotli?1:0)+(t.zstd?1:0)>1)throw new TypeError("gzip, brotli, zstd are mutually exclusive");if(t.gzip&&(typeof t.gzip!="object"&&(t.gzip={}),this.portable&&(t.gzip.portable=true),this.zip=new ze(t.gzip)),t.brotli&&(typeof t.brotli!="object"&&(t.brotli={}),this.zip=new We(t.brotli)),t.zstd&&(typeof t.zstd!="object"&&(t.zstd={}),this.zip=new Ye(t.zstd)),!this.zip)throw new Error("impossible");let e=this.zip;e.on("data",i=>super.write(i)),e.on("end",()=>super.end()),e.on("drain",()=>this[fs]()),this.on("resume",()=>e.resume());}else this.on("drain",this[fs]);this.noDirRecurse=!!t.noDirRecurse,this.follow=!!t.follow,this.noMtime=!!t.noMtime,t.mtime&&(this.mtime=t.mtime),this.filter=typeof t.filter=="function"?t.filter:()=>true,this[W]=new hi,this[G]=0,this.jobs=Number(t.jobs)||4,this[Ee]=false,this[ue]=false;}[lr](t){return super.write(t)}add(t){return this.write(t),this}end(t,e,i){return typeof t=="function"&&(i=t,t=void 0),typeof e=="function"&&(i=e,e=void 0),t&&this.add(t),this[ue]=true,this[Ft](),i&&i(),this}write(t){if(this[ue])throw new Error("write after end");return typeof t=="string"?this[ci](t):this[or](t),this.flowing}[or](t){let e=f(path__default.resolve(this.cwd,t.path));if(!this.filter(t.path,t))t.resume();else {let i=new pi(t.path,e);i.entry=new oi(t,this[cs](i)),i.entry.on("end",()=>this[ls](i)),this[G]+=1,this[W].push(i);}this[Ft]();}[ci](t){let e=f(path__default.resolve(this.cwd,t));this[W].push(new pi(t,e)),this[Ft]();}[ds](t){t.pending=true,this[G]+=1;let e=this.follow?"stat":"lstat";fs__default[e](t.absolute,(i,r)=>{t.pending=false,this[G]-=1,i?this.emit("error",i):this[li](t,r);});}[li](t,e){if(this.statCache.set(t.absolute,e),t.stat=e,!this.filter(t.path,e))t.ignore=true;else if(e.isFile()&&e.nlink>1&&!this.linkCache.get(`${e.dev}:${e.ino}`)&&!this.sync)if(t===this[Et])this[ai](t);else {let i=`${e.dev}:${e.ino}`,r=this[pe].get(i);r?r.push(t):this[pe].set(i,[t]),t.pendingLink=true,t.pending=true;}this[Ft]();}[ms](t){t.pending=true,this[G]+=1,fs__default.readdir(t.absolute,(e,i)=>{if(t.pending=false,this[G]-=1,e)return this.emit("error",e);this[fi](t,i);});}[fi](t,e){this.readdirCache.set(t.absolute,e),t.readdir=e,this[Ft]();}[Ft](){if(!this[Ee]){this[Ee]=true;for(let t=this[W].head;t&&this[G]<this.jobs;t=t.next)if(this[ai](t.value),t.value.ignore){let e=t.next;this[W].removeNode(t),t.next=e;}this[Ee]=false,this[ue]&&this[W].length===0&&this[G]===0&&(this.zip?this.zip.end(nr):(super.write(nr),super.end()));}}get[Et](){return this[W]&&this[W].head&&this[W].head.value}[ls](t){this[W].shift(),this[G]-=1;let{stat:e}=t;if(e&&e.isFile()&&e.nlink>1){let i=`${e.dev}:${e.ino}`,r=this[pe].get(i);if(r){this[pe].delete(i);for(let n of r)n.pending=false,this[ai](n);}}this[Ft]();}[ai](t){if(t.pending&&t.pendingLink&&t===this[Et]&&(t.pending=false,t.pendingLink=false),!t.pending){if(t.entry){t===this[Et]&&!t.piped&&this[di](t);return}if(!t.stat){let e=this.statCache.get(t.absolute);e?this[li](t,e):this[ds](t);}if(t.stat&&!t.ignore){if(!this.noDirRecurse&&t.stat.isDirectory()&&!t.readdir){let e=this.readdirCache.get(t.absolute);if(e?this[fi](t,e):this[ms](t),!t.readdir)return}if(t.entry=this[hr](t),!t.entry){t.ignore=true;return}t===this[Et]&&!t.piped&&this[di](t);}}}[cs](t){return {onwarn:(e,i,r)=>this.warn(e,i,r),noPax:this.noPax,cwd:this.cwd,absolute:t.absolute,preservePaths:this.preservePaths,maxReadSize:this.maxReadSize,strict:this.strict,portable:this.portable,linkCache:this.linkCache,statCache:this.statCache,noMtime:this.noMtime,mtime:this.mtime,prefix:this.prefix,onWriteEntry:this.onWriteEntry}}[hr](t){this[G]+=1;try{return new this[mi](t.path,this[cs](t)).on("end",()=>this[ls](t)).on("error",i=>this.emit("error",i))}catch(e){this.emit("error",e);}}[fs](){this[Et]&&this[Et].entry&&this[Et].entry.resume();}[di](t){t.piped=true,t.readdir&&t.readdir.forEach(r=>{let n=t.path,o=n==="./"?"":n.replace(/\/*$/,"/");this[ci](o+r);});let e=t.entry,i=this.zip;if(!e)throw new Error("cannot pipe without source");i?e.on("data",r=>{i.write(r)||e.pause();}):e.on("data",r=>{super.write(r)||e.pause();});}pause(){return this.zip&&this.zip.pause(),super.pause()}warn(t,e,i={}){Dt(this,t,e,i);}},kt=class extends wt{sync=true;constructor(t){super(t),this[mi]=ni;}pause(){}resume(){}[ds](t){let e=this.follow?"statSync":"lstatSync";this[li](t,fs__default[e](t.absolute));}[ms](t){this[fi](t,fs__default.readdirSync(t.absolute));}[di](t){let e=t.entry,i=this.zip;if(t.readdir&&t.readdir.forEach(r=>{let n=t.path,o=n==="./"?"":n.replace(/\/*$/,"/");this[ci](o+r);}),!e)throw new Error("Cannot pipe without source");i?e.on("data",r=>{i.write(r);}):e.on("data",r=>{super[lr](r);});}};var Vn=(s,t)=>{let e=new kt(s),i=new Wt(s.file,{mode:s.mode||438});e.pipe(i),fr(e,t);},Xn=(s,t)=>{let e=new wt(s),i=new et(s.file,{mode:s.mode||438});e.pipe(i);let r=new Promise((n,o)=>{i.on("error",o),i.on("close",n),e.on("error",o);});return dr(e,t).catch(n=>e.emit("error",n)),r},fr=(s,t)=>{t.forEach(e=>{e.charAt(0)==="@"?Ct({file:path.resolve(s.cwd,e.slice(1)),sync:true,noResume:true,onReadEntry:i=>s.add(i)}):s.add(e);}),s.end();},dr=async(s,t)=>{for(let e of t)e.charAt(0)==="@"?await Ct({file:path.resolve(String(s.cwd),e.slice(1)),noResume:true,onReadEntry:i=>{s.add(i);}}):s.add(e);s.end();},qn=(s,t)=>{let e=new kt(s);return fr(e,t),e},Qn=(s,t)=>{let e=new wt(s);return dr(e,t).catch(i=>e.emit("error",i)),e};K(Vn,Xn,qn,Qn,(s,t)=>{if(!t?.length)throw new TypeError("no paths specified to add to archive")});var jn=process.env.__FAKE_PLATFORM__||process.platform,Er=jn==="win32",{O_CREAT:wr,O_NOFOLLOW:mr,O_TRUNC:Sr,O_WRONLY:yr}=fs__default.constants,Rr=Number(process.env.__FAKE_FS_O_FILENAME__)||fs__default.constants.UV_FS_O_FILEMAP||0,to=Er&&!!Rr,eo=512*1024,io=Rr|Sr|wr|yr,ur=!Er&&typeof mr=="number"?mr|Sr|wr|yr:null,us=ur!==null?()=>ur:to?s=>s<eo?io:"w":()=>"w";var ps=(s,t,e)=>{try{return m.lchownSync(s,t,e)}catch(i){if(i?.code!=="ENOENT")throw i}},Ei=(s,t,e,i)=>{m.lchown(s,t,e,r=>{i(r&&r?.code!=="ENOENT"?r:null);});},so=(s,t,e,i,r)=>{if(t.isDirectory())Es(path.resolve(s,t.name),e,i,n=>{if(n)return r(n);let o=path.resolve(s,t.name);Ei(o,e,i,r);});else {let n=path.resolve(s,t.name);Ei(n,e,i,r);}},Es=(s,t,e,i)=>{m.readdir(s,{withFileTypes:true},(r,n)=>{if(r){if(r.code==="ENOENT")return i();if(r.code!=="ENOTDIR"&&r.code!=="ENOTSUP")return i(r)}if(r||!n.length)return Ei(s,t,e,i);let o=n.length,h=null,a=l=>{if(!h){if(l)return i(h=l);if(--o===0)return Ei(s,t,e,i)}};for(let l of n)so(s,l,t,e,a);});},ro=(s,t,e,i)=>{t.isDirectory()&&ws(path.resolve(s,t.name),e,i),ps(path.resolve(s,t.name),e,i);},ws=(s,t,e)=>{let i;try{i=m.readdirSync(s,{withFileTypes:!0});}catch(r){let n=r;if(n?.code==="ENOENT")return;if(n?.code==="ENOTDIR"||n?.code==="ENOTSUP")return ps(s,t,e);throw n}for(let r of i)ro(s,r,t,e);return ps(s,t,e)};var Se=class extends Error{path;code;syscall="chdir";constructor(t,e){super(`${e}: Cannot cd into '${t}'`),this.path=t,this.code=e;}get name(){return "CwdError"}};var St=class extends Error{path;symlink;syscall="symlink";code="TAR_SYMLINK_ERROR";constructor(t,e){super("TAR_SYMLINK_ERROR: Cannot extract through symbolic link"),this.symlink=t,this.path=e;}get name(){return "SymlinkError"}};var oo=(s,t)=>{m.stat(s,(e,i)=>{(e||!i.isDirectory())&&(e=new Se(s,e?.code||"ENOTDIR")),t(e);});},gr=(s,t,e)=>{s=f(s);let i=t.umask??18,r=t.mode|448,n=(r&i)!==0,o=t.uid,h=t.gid,a=typeof o=="number"&&typeof h=="number"&&(o!==t.processUid||h!==t.processGid),l=t.preserve,c=t.unlink,d=f(t.cwd),y=(E,x)=>{E?e(E):x&&a?Es(x,o,h,Le=>y(Le)):n?m.chmod(s,r,e):e();};if(s===d)return oo(s,y);if(l)return fs$1.mkdir(s,{mode:r,recursive:true}).then(E=>y(null,E??void 0),y);let D=f(path.relative(d,s)).split("/");Ss(d,D,r,c,d,void 0,y);},Ss=(s,t,e,i,r,n,o)=>{if(t.length===0)return o(null,n);let h=t.shift(),a=f(path.resolve(s+"/"+h));m.mkdir(a,e,br(a,t,e,i,r,n,o));},br=(s,t,e,i,r,n,o)=>h=>{h?m.lstat(s,(a,l)=>{if(a)a.path=a.path&&f(a.path),o(a);else if(l.isDirectory())Ss(s,t,e,i,r,n,o);else if(i)m.unlink(s,c=>{if(c)return o(c);m.mkdir(s,e,br(s,t,e,i,r,n,o));});else {if(l.isSymbolicLink())return o(new St(s,s+"/"+t.join("/")));o(h);}}):(n=n||s,Ss(s,t,e,i,r,n,o));},ho=s=>{let t=false,e;try{t=m.statSync(s).isDirectory();}catch(i){e=i?.code;}finally{if(!t)throw new Se(s,e??"ENOTDIR")}},_r=(s,t)=>{s=f(s);let e=t.umask??18,i=t.mode|448,r=(i&e)!==0,n=t.uid,o=t.gid,h=typeof n=="number"&&typeof o=="number"&&(n!==t.processUid||o!==t.processGid),a=t.preserve,l=t.unlink,c=f(t.cwd),d=E=>{E&&h&&ws(E,n,o),r&&m.chmodSync(s,i);};if(s===c)return ho(c),d();if(a)return d(m.mkdirSync(s,{mode:i,recursive:true})??void 0);let T=f(path.relative(c,s)).split("/"),D;for(let E=T.shift(),x=c;E&&(x+="/"+E);E=T.shift()){x=f(path.resolve(x));try{m.mkdirSync(x,i),D=D||x;}catch{let Le=m.lstatSync(x);if(Le.isDirectory())continue;if(l){m.unlinkSync(x),m.mkdirSync(x,i),D=D||x;continue}else if(Le.isSymbolicLink())return new St(x,x+"/"+T.join("/"))}}return d(D)};var ys=Object.create(null),Or=1e4,$t=new Set,Tr=s=>{$t.has(s)?$t.delete(s):ys[s]=s.normalize("NFD").toLocaleLowerCase("en").toLocaleUpperCase("en"),$t.add(s);let t=ys[s],e=$t.size-Or;if(e>Or/10){for(let i of $t)if($t.delete(i),delete ys[i],--e<=0)break}return t};var ao=process.env.TESTING_TAR_FAKE_PLATFORM||process.platform,lo=ao==="win32",co=s=>s.split("/").slice(0,-1).reduce((e,i)=>{let r=e.at(-1);return r!==void 0&&(i=join(r,i)),e.push(i||"/"),e},[]),yi=class{#t=new Map;#i=new Map;#s=new Set;reserve(t,e){t=lo?["win32 parallelization disabled"]:t.map(r=>ut(join(Tr(r))));let i=new Set(t.map(r=>co(r)).reduce((r,n)=>r.concat(n)));this.#i.set(e,{dirs:i,paths:t});for(let r of t){let n=this.#t.get(r);n?n.push(e):this.#t.set(r,[e]);}for(let r of i){let n=this.#t.get(r);if(!n)this.#t.set(r,[new Set([e])]);else {let o=n.at(-1);o instanceof Set?o.add(e):n.push(new Set([e]));}}return this.#r(e)}#n(t){let e=this.#i.get(t);if(!e)throw new Error("function does not have any path reservations");return {paths:e.paths.map(i=>this.#t.get(i)),dirs:[...e.dirs].map(i=>this.#t.get(i))}}check(t){let{paths:e,dirs:i}=this.#n(t);return e.every(r=>r&&r[0]===t)&&i.every(r=>r&&r[0]instanceof Set&&r[0].has(t))}#r(t){return this.#s.has(t)||!this.check(t)?false:(this.#s.add(t),t(()=>this.#e(t)),true)}#e(t){if(!this.#s.has(t))return  false;let e=this.#i.get(t);if(!e)throw new Error("invalid reservation");let{paths:i,dirs:r}=e,n=new Set;for(let o of i){let h=this.#t.get(o);if(!h||h?.[0]!==t)continue;let a=h[1];if(!a){this.#t.delete(o);continue}if(h.shift(),typeof a=="function")n.add(a);else for(let l of a)n.add(l);}for(let o of r){let h=this.#t.get(o),a=h?.[0];if(!(!h||!(a instanceof Set)))if(a.size===1&&h.length===1){this.#t.delete(o);continue}else if(a.size===1){h.shift();let l=h[0];typeof l=="function"&&n.add(l);}else a.delete(t);}return this.#s.delete(t),n.forEach(o=>this.#r(o)),true}};var Lr=()=>process.umask();var Dr=Symbol("onEntry"),_s=Symbol("checkFs"),Nr=Symbol("checkFs2"),Os=Symbol("isReusable"),P=Symbol("makeFs"),Ts=Symbol("file"),xs=Symbol("directory"),gi=Symbol("link"),Ar=Symbol("symlink"),Ir=Symbol("hardlink"),Re=Symbol("ensureNoSymlink"),Cr=Symbol("unsupported"),Fr=Symbol("checkPath"),Rs=Symbol("stripAbsolutePath"),yt=Symbol("mkdir"),O=Symbol("onError"),Ri=Symbol("pending"),kr=Symbol("pend"),Vt=Symbol("unpend"),gs=Symbol("ended"),bs=Symbol("maybeClose"),Ls=Symbol("skip"),ge=Symbol("doChown"),be=Symbol("uid"),_e=Symbol("gid"),Oe=Symbol("checkedCwd"),mo=process.env.TESTING_TAR_FAKE_PLATFORM||process.platform,Te=mo==="win32",uo=1024,po=(s,t)=>{if(!Te)return m.unlink(s,t);let e=s+".DELETE."+randomBytes(16).toString("hex");m.rename(s,e,i=>{if(i)return t(i);m.unlink(e,t);});},Eo=s=>{if(!Te)return m.unlinkSync(s);let t=s+".DELETE."+randomBytes(16).toString("hex");m.renameSync(s,t),m.unlinkSync(t);},Mr=(s,t,e)=>s!==void 0&&s===s>>>0?s:t!==void 0&&t===t>>>0?t:e,Xt=class extends rt{[gs]=false;[Oe]=false;[Ri]=0;reservations=new yi;transform;writable=true;readable=false;uid;gid;setOwner;preserveOwner;processGid;processUid;maxDepth;forceChown;win32;newer;keep;noMtime;preservePaths;unlink;cwd;strip;processUmask;umask;dmode;fmode;chmod;constructor(t={}){if(t.ondone=()=>{this[gs]=true,this[bs]();},super(t),this.transform=t.transform,this.chmod=!!t.chmod,typeof t.uid=="number"||typeof t.gid=="number"){if(typeof t.uid!="number"||typeof t.gid!="number")throw new TypeError("cannot set owner without number uid and gid");if(t.preserveOwner)throw new TypeError("cannot preserve owner in archive and also set owner explicitly");this.uid=t.uid,this.gid=t.gid,this.setOwner=true;}else this.uid=void 0,this.gid=void 0,this.setOwner=false;this.preserveOwner=t.preserveOwner===void 0&&typeof t.uid!="number"?process.getuid?.()===0:!!t.preserveOwner,this.processUid=(this.preserveOwner||this.setOwner)&&process.getuid?process.getuid():void 0,this.processGid=(this.preserveOwner||this.setOwner)&&process.getgid?process.getgid():void 0,this.maxDepth=typeof t.maxDepth=="number"?t.maxDepth:uo,this.forceChown=t.forceChown===true,this.win32=!!t.win32||Te,this.newer=!!t.newer,this.keep=!!t.keep,this.noMtime=!!t.noMtime,this.preservePaths=!!t.preservePaths,this.unlink=!!t.unlink,this.cwd=f(path.resolve(t.cwd||process.cwd())),this.strip=Number(t.strip)||0,this.processUmask=this.chmod?typeof t.processUmask=="number"?t.processUmask:Lr():0,this.umask=typeof t.umask=="number"?t.umask:this.processUmask,this.dmode=t.dmode||511&~this.umask,this.fmode=t.fmode||438&~this.umask,this.on("entry",e=>this[Dr](e));}warn(t,e,i={}){return (t==="TAR_BAD_ARCHIVE"||t==="TAR_ABORT")&&(i.recoverable=false),super.warn(t,e,i)}[bs](){this[gs]&&this[Ri]===0&&(this.emit("prefinish"),this.emit("finish"),this.emit("end"));}[Rs](t,e){let i=t[e],{type:r}=t;if(!i||this.preservePaths)return  true;let[n,o]=ce(i),h=o.replaceAll(/\\/g,"/").split("/");if(h.includes("..")||Te&&/^[a-z]:\.\.$/i.test(h[0]??"")){if(e==="path"||r==="Link")return this.warn("TAR_ENTRY_ERROR",`${e} contains '..'`,{entry:t,[e]:i}),false;let a=path.posix.dirname(t.path),l=path.posix.normalize(path.posix.join(a,h.join("/")));if(l.startsWith("../")||l==="..")return this.warn("TAR_ENTRY_ERROR",`${e} escapes extraction directory`,{entry:t,[e]:i}),false}return n&&(t[e]=String(o),this.warn("TAR_ENTRY_INFO",`stripping ${n} from absolute ${e}`,{entry:t,[e]:i})),true}[Fr](t){let e=f(t.path),i=e.split("/");if(this.strip){if(i.length<this.strip)return  false;if(t.type==="Link"){let r=f(String(t.linkpath)).split("/");if(r.length>=this.strip)t.linkpath=r.slice(this.strip).join("/");else return  false}i.splice(0,this.strip),t.path=i.join("/");}if(isFinite(this.maxDepth)&&i.length>this.maxDepth)return this.warn("TAR_ENTRY_ERROR","path excessively deep",{entry:t,path:e,depth:i.length,maxDepth:this.maxDepth}),false;if(!this[Rs](t,"path")||!this[Rs](t,"linkpath"))return  false;if(t.absolute=path.isAbsolute(t.path)?f(path.resolve(t.path)):f(path.resolve(this.cwd,t.path)),!this.preservePaths&&typeof t.absolute=="string"&&t.absolute.indexOf(this.cwd+"/")!==0&&t.absolute!==this.cwd)return this.warn("TAR_ENTRY_ERROR","path escaped extraction target",{entry:t,path:f(t.path),resolvedPath:t.absolute,cwd:this.cwd}),false;if(t.absolute===this.cwd&&t.type!=="Directory"&&t.type!=="GNUDumpDir")return  false;if(this.win32){let{root:r}=path.win32.parse(String(t.absolute));t.absolute=r+ts(String(t.absolute).slice(r.length));let{root:n}=path.win32.parse(t.path);t.path=n+ts(t.path.slice(n.length));}return  true}[Dr](t){if(!this[Fr](t))return t.resume();switch(require$$0$1.equal(typeof t.absolute,"string"),t.type){case "Directory":case "GNUDumpDir":t.mode&&(t.mode=t.mode|448);case "File":case "OldFile":case "ContiguousFile":case "Link":case "SymbolicLink":return this[_s](t);default:return this[Cr](t)}}[O](t,e){t.name==="CwdError"?this.emit("error",t):(this.warn("TAR_ENTRY_ERROR",t,{entry:e}),this[Vt](),e.resume());}[yt](t,e,i){gr(f(t),{uid:this.uid,gid:this.gid,processUid:this.processUid,processGid:this.processGid,umask:this.processUmask,preserve:this.preservePaths,unlink:this.unlink,cwd:this.cwd,mode:e},i);}[ge](t){return this.forceChown||this.preserveOwner&&(typeof t.uid=="number"&&t.uid!==this.processUid||typeof t.gid=="number"&&t.gid!==this.processGid)||typeof this.uid=="number"&&this.uid!==this.processUid||typeof this.gid=="number"&&this.gid!==this.processGid}[be](t){return Mr(this.uid,t.uid,this.processUid)}[_e](t){return Mr(this.gid,t.gid,this.processGid)}[Ts](t,e){let i=typeof t.mode=="number"?t.mode&4095:this.fmode,r=new et(String(t.absolute),{flags:us(t.size),mode:i,autoClose:false});r.on("error",a=>{r.fd&&m.close(r.fd,()=>{}),r.write=()=>true,this[O](a,t),e();});let n=1,o=a=>{if(a){r.fd&&m.close(r.fd,()=>{}),this[O](a,t),e();return}--n===0&&r.fd!==void 0&&m.close(r.fd,l=>{l?this[O](l,t):this[Vt](),e();});};r.on("finish",()=>{let a=String(t.absolute),l=r.fd;if(typeof l=="number"&&t.mtime&&!this.noMtime){n++;let c=t.atime||new Date,d=t.mtime;m.futimes(l,c,d,y=>y?m.utimes(a,c,d,T=>o(T&&y)):o());}if(typeof l=="number"&&this[ge](t)){n++;let c=this[be](t),d=this[_e](t);typeof c=="number"&&typeof d=="number"&&m.fchown(l,c,d,y=>y?m.chown(a,c,d,T=>o(T&&y)):o());}o();});let h=this.transform&&this.transform(t)||t;h!==t&&(h.on("error",a=>{this[O](a,t),e();}),t.pipe(h)),h.pipe(r);}[xs](t,e){let i=typeof t.mode=="number"?t.mode&4095:this.dmode;this[yt](String(t.absolute),i,r=>{if(r){this[O](r,t),e();return}let n=1,o=()=>{--n===0&&(e(),this[Vt](),t.resume());};t.mtime&&!this.noMtime&&(n++,m.utimes(String(t.absolute),t.atime||new Date,t.mtime,o)),this[ge](t)&&(n++,m.chown(String(t.absolute),Number(this[be](t)),Number(this[_e](t)),o)),o();});}[Cr](t){t.unsupported=true,this.warn("TAR_ENTRY_UNSUPPORTED",`unsupported entry type: ${t.type}`,{entry:t}),t.resume();}[Ar](t,e){let i=f(path.relative(this.cwd,path.resolve(path.dirname(String(t.absolute)),String(t.linkpath)))).split("/");this[Re](t,this.cwd,i,()=>this[gi](t,String(t.linkpath),"symlink",e),r=>{this[O](r,t),e();});}[Ir](t,e){let i=f(path.resolve(this.cwd,String(t.linkpath))),r=f(String(t.linkpath)).split("/");this[Re](t,this.cwd,r,()=>this[gi](t,i,"link",e),n=>{this[O](n,t),e();});}[Re](t,e,i,r,n){let o=i.shift();if(this.preservePaths||o===void 0)return r();let h=path.resolve(e,o);m.lstat(h,(a,l)=>{if(a)return r();if(l?.isSymbolicLink())return n(new St(h,path.resolve(h,i.join("/"))));this[Re](t,h,i,r,n);});}[kr](){this[Ri]++;}[Vt](){this[Ri]--,this[bs]();}[Ls](t){this[Vt](),t.resume();}[Os](t,e){return t.type==="File"&&!this.unlink&&e.isFile()&&e.nlink<=1&&!Te}[_s](t){this[kr]();let e=[t.path];t.linkpath&&e.push(t.linkpath),this.reservations.reserve(e,i=>this[Nr](t,i));}[Nr](t,e){let i=h=>{e(h);},r=()=>{this[yt](this.cwd,this.dmode,h=>{if(h){this[O](h,t),i();return}this[Oe]=true,n();});},n=()=>{if(t.absolute!==this.cwd){let h=f(path.dirname(String(t.absolute)));if(h!==this.cwd)return this[yt](h,this.dmode,a=>{if(a){this[O](a,t),i();return}o();})}o();},o=()=>{m.lstat(String(t.absolute),(h,a)=>{if(a&&(this.keep||this.newer&&a.mtime>(t.mtime??a.mtime))){this[Ls](t),i();return}if(h||this[Os](t,a))return this[P](null,t,i);if(a.isDirectory()){if(t.type==="Directory"){let l=this.chmod&&t.mode&&(a.mode&4095)!==t.mode,c=d=>this[P](d??null,t,i);return l?m.chmod(String(t.absolute),Number(t.mode),c):c()}if(t.absolute!==this.cwd)return m.rmdir(String(t.absolute),l=>this[P](l??null,t,i))}if(t.absolute===this.cwd)return this[P](null,t,i);po(String(t.absolute),l=>this[P](l??null,t,i));});};this[Oe]?n():r();}[P](t,e,i){if(t){this[O](t,e),i();return}switch(e.type){case "File":case "OldFile":case "ContiguousFile":return this[Ts](e,i);case "Link":return this[Ir](e,i);case "SymbolicLink":return this[Ar](e,i);case "Directory":case "GNUDumpDir":return this[xs](e,i)}}[gi](t,e,i,r){m[i](e,String(t.absolute),n=>{n?this[O](n,t):(this[Vt](),t.resume()),r();});}},ye=s=>{try{return [null,s()]}catch(t){return [t,null]}},xe=class extends Xt{sync=true;[P](t,e){return super[P](t,e,()=>{})}[_s](t){if(!this[Oe]){let n=this[yt](this.cwd,this.dmode);if(n)return this[O](n,t);this[Oe]=true;}if(t.absolute!==this.cwd){let n=f(path.dirname(String(t.absolute)));if(n!==this.cwd){let o=this[yt](n,this.dmode);if(o)return this[O](o,t)}}let[e,i]=ye(()=>m.lstatSync(String(t.absolute)));if(i&&(this.keep||this.newer&&i.mtime>(t.mtime??i.mtime)))return this[Ls](t);if(e||this[Os](t,i))return this[P](null,t);if(i.isDirectory()){if(t.type==="Directory"){let o=this.chmod&&t.mode&&(i.mode&4095)!==t.mode,[h]=o?ye(()=>{m.chmodSync(String(t.absolute),Number(t.mode));}):[];return this[P](h,t)}let[n]=ye(()=>m.rmdirSync(String(t.absolute)));this[P](n,t);}let[r]=t.absolute===this.cwd?[]:ye(()=>Eo(String(t.absolute)));this[P](r,t);}[Ts](t,e){let i=typeof t.mode=="number"?t.mode&4095:this.fmode,r=h=>{let a;try{m.closeSync(n);}catch(l){a=l;}(h||a)&&this[O](h||a,t),e();},n;try{n=m.openSync(String(t.absolute),us(t.size),i);}catch(h){return r(h)}let o=this.transform&&this.transform(t)||t;o!==t&&(o.on("error",h=>this[O](h,t)),t.pipe(o)),o.on("data",h=>{try{m.writeSync(n,h,0,h.length);}catch(a){r(a);}}),o.on("end",()=>{let h=null;if(t.mtime&&!this.noMtime){let a=t.atime||new Date,l=t.mtime;try{m.futimesSync(n,a,l);}catch(c){try{m.utimesSync(String(t.absolute),a,l);}catch{h=c;}}}if(this[ge](t)){let a=this[be](t),l=this[_e](t);try{m.fchownSync(n,Number(a),Number(l));}catch(c){try{m.chownSync(String(t.absolute),Number(a),Number(l));}catch{h=h||c;}}}r(h);});}[xs](t,e){let i=typeof t.mode=="number"?t.mode&4095:this.dmode,r=this[yt](String(t.absolute),i);if(r){this[O](r,t),e();return}if(t.mtime&&!this.noMtime)try{m.utimesSync(String(t.absolute),t.atime||new Date,t.mtime);}catch{}if(this[ge](t))try{m.chownSync(String(t.absolute),Number(this[be](t)),Number(this[_e](t)));}catch{}e(),t.resume();}[yt](t,e){try{return _r(f(t),{uid:this.uid,gid:this.gid,processUid:this.processUid,processGid:this.processGid,umask:this.processUmask,preserve:this.preservePaths,unlink:this.unlink,cwd:this.cwd,mode:e})}catch(i){return i}}[Re](t,e,i,r,n){if(this.preservePaths||i.length===0)return r();let o=e;for(let h of i){o=path.resolve(o,h);let[a,l]=ye(()=>m.lstatSync(o));if(a)return r();if(l.isSymbolicLink())return n(new St(o,path.resolve(e,i.join("/"))))}r();}[gi](t,e,i,r){let n=`${i}Sync`;try{m[n](e,String(t.absolute)),r(),t.resume();}catch(o){return this[O](o,t)}}};var wo=s=>{let t=new xe(s),e=s.file,i=m.statSync(e),r=s.maxReadSize||16*1024*1024;new Be(e,{readSize:r,size:i.size}).pipe(t);},So=(s,t)=>{let e=new Xt(s),i=s.maxReadSize||16*1024*1024,r=s.file;return new Promise((o,h)=>{e.on("error",h),e.on("close",o),m.stat(r,(a,l)=>{if(a)h(a);else {let c=new _t(r,{readSize:i,size:l.size});c.on("error",h),c.pipe(e);}});})};K(wo,So,s=>new xe(s),s=>new Xt(s),(s,t)=>{t?.length&&Qi(s,t);});var Ro=(s,t)=>{let e=new kt(s),i=true,r,n;try{try{r=m.openSync(s.file,"r+");}catch(a){if(a?.code==="ENOENT")r=m.openSync(s.file,"w+");else throw a}let o=m.fstatSync(r),h=Buffer.alloc(512);t:for(n=0;n<o.size;n+=512){for(let c=0,d=0;c<512;c+=d){if(d=m.readSync(r,h,c,h.length-c,n+c),n===0&&h[0]===31&&h[1]===139)throw new Error("cannot append to compressed archives");if(!d)break t}let a=new F(h);if(!a.cksumValid)break;let l=512*Math.ceil((a.size||0)/512);if(n+l+512>o.size)break;n+=l,s.mtimeCache&&a.mtime&&s.mtimeCache.set(String(a.path),a.mtime);}i=!1,go(s,e,n,r,t);}finally{if(i)try{m.closeSync(r);}catch{}}},go=(s,t,e,i,r)=>{let n=new Wt(s.file,{fd:i,start:e});t.pipe(n),_o(t,r);},bo=(s,t)=>{t=Array.from(t);let e=new wt(s),i=(n,o,h)=>{let a=(T,D)=>{T?m.close(n,E=>h(T)):h(null,D);},l=0;if(o===0)return a(null,0);let c=0,d=Buffer.alloc(512),y=(T,D)=>{if(T||D===void 0)return a(T);if(c+=D,c<512&&D)return m.read(n,d,c,d.length-c,l+c,y);if(l===0&&d[0]===31&&d[1]===139)return a(new Error("cannot append to compressed archives"));if(c<512)return a(null,l);let E=new F(d);if(!E.cksumValid)return a(null,l);let x=512*Math.ceil((E.size??0)/512);if(l+x+512>o||(l+=x+512,l>=o))return a(null,l);s.mtimeCache&&E.mtime&&s.mtimeCache.set(String(E.path),E.mtime),c=0,m.read(n,d,0,512,l,y);};m.read(n,d,0,512,l,y);};return new Promise((n,o)=>{e.on("error",o);let h="r+",a=(l,c)=>{if(l&&l.code==="ENOENT"&&h==="r+")return h="w+",m.open(s.file,h,a);if(l||!c)return o(l);m.fstat(c,(d,y)=>{if(d)return m.close(c,()=>o(d));i(c,y.size,(T,D)=>{if(T)return o(T);let E=new et(s.file,{fd:c,start:D});e.pipe(E),E.on("error",o),E.on("close",n),Oo(e,t);});});};m.open(s.file,h,a);})},_o=(s,t)=>{t.forEach(e=>{e.charAt(0)==="@"?Ct({file:path.resolve(s.cwd,e.slice(1)),sync:true,noResume:true,onReadEntry:i=>s.add(i)}):s.add(e);}),s.end();},Oo=async(s,t)=>{for(let e of t)e.charAt(0)==="@"?await Ct({file:path.resolve(String(s.cwd),e.slice(1)),noResume:true,onReadEntry:i=>s.add(i)}):s.add(e);s.end();},Mt=K(Ro,bo,()=>{throw new TypeError("file is required")},()=>{throw new TypeError("file is required")},(s,t)=>{if(!Bs(s))throw new TypeError("file is required");if(s.gzip||s.brotli||s.zstd||s.file.endsWith(".br")||s.file.endsWith(".tbr"))throw new TypeError("cannot append to compressed archives");if(!t?.length)throw new TypeError("no paths specified to add/replace")});K(Mt.syncFile,Mt.asyncFile,Mt.syncNoFile,Mt.asyncNoFile,(s,t=[])=>{Mt.validate?.(s,t),xo(s);});var xo=s=>{let t=s.filter;s.mtimeCache||(s.mtimeCache=new Map),s.filter=t?(e,i)=>t(e,i)&&!((s.mtimeCache?.get(e)??i.mtime??0)>(i.mtime??0)):(e,i)=>!((s.mtimeCache?.get(e)??i.mtime??0)>(i.mtime??0));};

// Safe extraction of .tar.gz and .tar.xz toolchain archives. Symbolic links
// (absolute and dangling ones too) and hard links are kept as they are, but
// no entry may be written outside the target folder.
/** An archive entry that would escape the target folder, or has a type toolchain archives do not contain. */
class UnsafeArchiveError extends UserError {
    constructor(message) {
        super(message);
        this.name = 'UnsafeArchiveError';
    }
}
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
/** Returns the compression of `file` from its first bytes. */
async function detectCompression(file, name = file) {
    const handle = await fs$1.open(file, 'r');
    try {
        const head = Buffer.alloc(6);
        const { bytesRead } = await handle.read(head, 0, head.length, 0);
        const start = head.subarray(0, bytesRead);
        if (start.subarray(0, 2).equals(GZIP_MAGIC))
            return 'gzip';
        if (start.equals(XZ_MAGIC))
            return 'xz';
    }
    finally {
        await handle.close();
    }
    throw new UserError(`${name} is neither a gzip nor an xz compressed file. Point toolchain-url at a .tar.gz, .tgz or .tar.xz archive.`);
}
const ALLOWED_TYPES = new Set([
    'File',
    'OldFile',
    'ContiguousFile',
    'Directory',
    'SymbolicLink',
    'Link'
]);
/**
 * Checks entries in archive order and rejects any that could write outside
 * the target folder: absolute paths, `..` components, paths below a symbolic
 * link that an earlier entry created, and hard links to such places. The
 * targets of symbolic links are not checked, because the extractor never
 * writes through them (the checks above forbid it).
 */
class EntryChecker {
    symlinks = new Set();
    /**
     * Returns why `entry` is unsafe, as a phrase that follows the entry's
     * name ("is an absolute path"), or undefined when it is safe.
     */
    problem(entry) {
        if (!ALLOWED_TYPES.has(entry.type)) {
            return `has the type ${entry.type}, which a toolchain archive does not contain`;
        }
        const own = this.pathProblem(entry.path);
        if (own)
            return own;
        if (entry.type === 'Link') {
            const target = entry.linkpath ?? '';
            const targetProblem = this.pathProblem(target);
            if (targetProblem) {
                return `is a hard link to ${JSON.stringify(target)}, which ${targetProblem}`;
            }
        }
        const name = normalize(entry.path);
        if (entry.type === 'SymbolicLink') {
            this.symlinks.add(name);
        }
        else {
            // node-tar removes a link before it writes another entry at its path.
            this.symlinks.delete(name);
        }
        return undefined;
    }
    pathProblem(entryPath) {
        if (entryPath === '' || entryPath.includes('\0')) {
            return 'is empty or contains a NUL byte';
        }
        if (entryPath.startsWith('/') || /^[a-zA-Z]:/.test(entryPath)) {
            return 'is an absolute path';
        }
        if (entryPath.replaceAll('\\', '/').split('/').includes('..')) {
            return 'contains a ".." component';
        }
        const segments = normalize(entryPath).split('/');
        for (let i = 1; i < segments.length; i++) {
            const parent = segments.slice(0, i).join('/');
            if (this.symlinks.has(parent)) {
                return `lies below ${JSON.stringify(parent)}, a symbolic link from the same archive`;
            }
        }
        return undefined;
    }
}
/** Returns the entry path without `./`, empty segments or a trailing slash. */
function normalize(entryPath) {
    return entryPath
        .replaceAll('\\', '/')
        .split('/')
        .filter(part => part !== '' && part !== '.')
        .join('/');
}
/** Opens the uncompressed tar stream of `file`, through `xz` for xz files. */
function openTarStream(file, compression, name) {
    if (compression === 'gzip') {
        // node-tar recognises gzip itself.
        const stream = createReadStream(file);
        return {
            stream,
            done: Promise.resolve(),
            stop: () => {
                stream.destroy();
                return true;
            }
        };
    }
    const xz = spawn('xz', ['--decompress', '--stdout', '--', file], {
        stdio: ['ignore', 'pipe', 'pipe']
    });
    let stderr = '';
    xz.stderr.on('data', (data) => {
        if (stderr.length < 4096)
            stderr += data.toString();
    });
    const done = new Promise((resolve, reject) => {
        xz.on('error', error => {
            const code = error.code;
            reject(code === 'ENOENT'
                ? new UserError('xz was not found on PATH, so a .tar.xz toolchain cannot be unpacked. Install it (apt-get install xz-utils) or use a .tar.gz toolchain-url.')
                : error);
        });
        xz.on('close', (code, signal) => {
            if (code === 0)
                return resolve();
            reject(new UserError(`xz could not decompress ${name} (${signal ?? `exit status ${code}`}): ${stderr.trim() || 'no message'}. The archive is damaged or not an xz file.`));
        });
    });
    const stop = () => xz.exitCode === null && xz.signalCode === null && xz.kill();
    return { stream: xz.stdout, done, stop };
}
/** Feeds the archive into a node-tar parser and waits for both ends. */
async function feed(file, compression, consumer, name) {
    const { stream, done, stop } = openTarStream(file, compression, name);
    let interrupted = false;
    const consumed = new Promise((resolve, reject) => {
        consumer.on('error', reject);
        consumer.on('close', () => resolve());
        stream.on('error', reject);
    });
    stream.pipe(consumer);
    const [consumerResult, producerResult] = await Promise.allSettled([
        consumed.catch(error => {
            // xz blocks on a full pipe once the parser stops reading.
            interrupted = stop();
            throw error;
        }),
        done
    ]);
    // A decompressor that failed by itself (xz missing, damaged data) explains
    // what the tar parser saw, so its error comes first. A decompressor that
    // was stopped after a tar error explains nothing.
    if (producerResult.status === 'rejected' && !interrupted) {
        throw producerResult.reason;
    }
    if (consumerResult.status === 'rejected') {
        throw new UserError(`Could not unpack ${name}: ${errorMessage(consumerResult.reason)}. The archive is damaged or is not a tar archive.`);
    }
}
function unsafe(file, entryPath, problem) {
    return new UnsafeArchiveError(`The toolchain archive ${file} is unsafe and was not used: its entry ${JSON.stringify(entryPath)} ${problem}. Use an archive whose entries all stay inside its own folder.`);
}
/** Reads every entry header and throws UnsafeArchiveError on the first unsafe one. */
async function checkEntries(file, compression, name) {
    const checker = new EntryChecker();
    let first;
    let count = 0;
    const parser = new rt({
        strict: true,
        onReadEntry: entry => {
            count++;
            const problem = first ? undefined : checker.problem(entry);
            if (problem)
                first = unsafe(name, entry.path, problem);
            entry.resume();
        }
    });
    await feed(file, compression, parser, name);
    if (first)
        throw first;
    return count;
}
/**
 * Extracts `file` into the folder `destination`, which must be new or empty.
 * All entries are checked first, so an unsafe archive writes nothing; the
 * same checks run again as a filter during extraction. `name` (such as the
 * masked URL) stands for the archive in messages. Returns the number of
 * entries.
 */
async function extractArchive(file, destination, name = file) {
    const compression = await detectCompression(file, name);
    const count = await checkEntries(file, compression, name);
    await fs$1.mkdir(destination, { recursive: true });
    const checker = new EntryChecker();
    let rejected;
    const unpack = new Xt({
        cwd: path.resolve(destination),
        strict: true,
        // node-tar would rewrite absolute symbolic link targets and refuse link
        // targets that pass through other links; EntryChecker guards the paths.
        preservePaths: true,
        preserveOwner: false,
        filter: (entryPath, entry) => {
            const problem = checker.problem(entry);
            if (problem && !rejected)
                rejected = unsafe(name, entryPath, problem);
            return problem === undefined && rejected === undefined;
        }
    });
    await feed(file, compression, unpack, name);
    if (rejected)
        throw rejected;
    return count;
}

// Downloading one source into the runner tool cache: checksum, download,
// verification, extraction, a compiler check, then the copy into the cache.
/**
 * Downloads, verifies and extracts the archive of `source` in a fresh
 * folder under the temp folder, checks that it has a compiler for the
 * target, and only then copies it into the tool cache. The temp folder is
 * removed when the function returns or throws. Throws on the first failed
 * step.
 */
async function installFromSource(source, context, attempts) {
    const { arch, ui } = context;
    const masked = maskUrl(source.url);
    const downloadOptions = { ui, timeouts: context.timeouts, attempts };
    await fs$1.mkdir(context.tempDir, { recursive: true });
    const stage = await fs$1.mkdtemp(path.join(context.tempDir, 'rump-cross-toolchain-'));
    try {
        const expected = await expectedDigest(source, url => downloadText(url, downloadOptions));
        const archive = path.join(stage, `archive.${source.format}`);
        const digests = await downloadFile(source.url, archive, downloadOptions);
        await verifyArchive(archive, source.url, digests, expected, ui);
        const started = Date.now();
        const install = path.join(stage, 'install');
        const tree = path.join(install, ENTRY_FOLDER);
        const entries = await extractArchive(archive, tree, masked);
        await fs$1.rm(archive);
        ui.info(`Extracted ${entries} entries in ${formatDuration(Date.now() - started)}`);
        // A tree without a working compiler for the target is never cached.
        const extracted = await inspectToolchain(tree, arch, ui);
        if (!expected)
            warnUnverified(source.url, digests.sha256, ui);
        const version = sourceVersion(source);
        const entry = await addEntry(install, arch, version, {
            url: masked,
            sha256: digests.sha256,
            verified: expected !== undefined
        });
        ui.info(`Added ${masked} to the tool cache as version ${version}`);
        // Same layout as in the temp folder, now below the cache entry.
        const relative = path.relative(tree, extracted.dir);
        const dir = path.join(entry.dir, relative);
        const binDir = path.join(dir, 'bin');
        return {
            dir,
            binDir,
            prefix: extracted.prefix,
            cc: path.join(binDir, path.basename(extracted.cc)),
            gccVersion: extracted.gccVersion,
            dumpMachine: extracted.dumpMachine,
            source: masked,
            cacheHit: false,
            sha256: digests.sha256,
            cacheKey: context.cache ? cacheKey(arch, version) : undefined,
            cachePath: context.cache
                ? toolFolder(context.toolCacheRoot, arch)
                : undefined
        };
    }
    finally {
        await fs$1.rm(stage, { recursive: true, force: true });
    }
}

/**
 * Release tag of cross-tools/musl-cross (gcc 15.2.0 and musl 1.2.5 by the
 * project's README at commit 3a5840d). The release workflow
 * (.github/workflows/release.yaml) uploads each `<vendor-triple>.tar.xz`
 * with a sidecar `<asset>.sha256`.
 * NOTE: the tag's assets and digests could not be fetched while this was
 * written (no internet), so no digest is pinned here. Each download is
 * verified against its sidecar at run time instead.
 */
const CROSS_TOOLS_TAG = '20250929';
const CROSS_TOOLS_BASE = `https://github.com/cross-tools/musl-cross/releases/download/${CROSS_TOOLS_TAG}`;
/**
 * go-cross/musl-toolchain-archive republishes the files listed on musl.cc's
 * index page as GitHub release assets (main.ts downloads them, and the
 * release workflow at commit 605797b uploads them under a tag named after
 * the date, such as 2025.06.05).
 * NOTE: no tag of that repository could be confirmed from here, so the
 * `latest` release is used, and it could not be checked that the release
 * contains SHA512SUMS. When it does not, musl.cc's own SHA512SUMS is the
 * second checksum origin, because the mirror copies musl.cc's files as they
 * are.
 */
const MUSL_CC_MIRROR_BASE = 'https://github.com/go-cross/musl-toolchain-archive/releases/latest/download';
/** musl.cc has blocked GitHub Actions runners since 2025-05-27, so it comes last. */
const MUSL_CC_BASE = 'https://musl.cc';
/** Returns the built-in sources for `arch`, in the order they are tried. */
function defaultSources(arch) {
    const crossTools = `${CROSS_TOOLS_BASE}/${arch.vendorTriple}.tar.xz`;
    const muslCcName = `${arch.triple}-cross.tgz`;
    return [
        {
            label: `cross-tools/musl-cross ${CROSS_TOOLS_TAG}`,
            url: crossTools,
            format: 'tar.xz',
            checksum: {
                kind: 'sidecar',
                algorithm: 'sha256',
                url: `${crossTools}.sha256`
            },
            builtIn: true
        },
        {
            label: 'musl.cc mirror go-cross/musl-toolchain-archive',
            url: `${MUSL_CC_MIRROR_BASE}/${muslCcName}`,
            format: 'tar.gz',
            checksum: {
                kind: 'list',
                algorithm: 'sha512',
                urls: [
                    `${MUSL_CC_MIRROR_BASE}/SHA512SUMS`,
                    `${MUSL_CC_BASE}/SHA512SUMS`
                ]
            },
            builtIn: true
        },
        {
            label: 'musl.cc',
            url: `${MUSL_CC_BASE}/${muslCcName}`,
            format: 'tar.gz',
            checksum: {
                kind: 'list',
                algorithm: 'sha512',
                urls: [`${MUSL_CC_BASE}/SHA512SUMS`]
            },
            builtIn: true
        }
    ];
}
const PLACEHOLDER = /\{([^{}]*)\}/g;
const SCHEMES = ['http:', 'https:', 'file:'];
function rejectTemplate(template, problem) {
    throw new UserError(`toolchain-url "${template}" ${problem}. Give one absolute http://, https:// or file:// URL template per line, such as https://example.org/{triple}-cross.tgz; {triple} becomes the musl triple (powerpc-linux-musl) and {vendor-triple} the one with a vendor field (powerpc-unknown-linux-musl).`);
}
/**
 * Replaces `{triple}` and `{vendor-triple}` in a URL template and checks the
 * scheme. Throws UserError naming the template for an unknown placeholder, a
 * relative URL or a scheme other than http, https and file.
 */
function expandTemplate(template, arch) {
    const expanded = template.replace(PLACEHOLDER, (whole, name) => {
        if (name === 'triple')
            return arch.triple;
        if (name === 'vendor-triple')
            return arch.vendorTriple;
        return rejectTemplate(template, `contains the unknown placeholder ${whole}`);
    });
    let url;
    try {
        url = new URL(expanded);
    }
    catch {
        return rejectTemplate(template, 'is not an absolute URL');
    }
    if (!SCHEMES.includes(url.protocol)) {
        rejectTemplate(template, `uses the unsupported scheme ${url.protocol}`);
    }
    return expanded;
}
function formatFromName(url) {
    const name = urlFileName(url).toLowerCase();
    return name.endsWith('.tar.xz') || name.endsWith('.txz') ? 'tar.xz' : 'tar.gz';
}
/**
 * Returns the sources to try for a request: the user's templates when there
 * are any, otherwise the built-in list (`builtIn`, which tests replace). A
 * user sha256 replaces every other checksum origin, so it also pins the
 * built-in sources.
 */
function resolveSources(arch, templates, sha256, builtIn = defaultSources) {
    if (sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(sha256)) {
        throw new UserError(`toolchain-sha256 "${sha256}" is not a sha256 digest. Give the 64 hexadecimal digits printed by sha256sum.`);
    }
    const pinned = sha256
        ? { kind: 'pinned', algorithm: 'sha256', digest: sha256.toLowerCase() }
        : undefined;
    if (templates.length === 0) {
        const sources = builtIn(arch);
        return sources.map(s => (pinned ? { ...s, checksum: pinned } : s));
    }
    return templates.map((template, index) => {
        const url = expandTemplate(template.trim(), arch);
        return {
            label: `toolchain-url ${index + 1}`,
            url,
            format: formatFromName(url),
            checksum: pinned ?? { kind: 'none' },
            builtIn: false
        };
    });
}

// Environment variables that point buildrump.sh at the toolchain's tools.
// buildrump.sh uses these variables as given when they are set, and otherwise
// looks for `<cc -dumpmachine>-<tool>` on PATH, which fails when the file
// prefix differs from -dumpmachine.
const TOOLS = {
    CC: 'gcc',
    AR: 'ar',
    AS: 'as',
    LD: 'ld',
    NM: 'nm',
    OBJCOPY: 'objcopy',
    OBJDUMP: 'objdump',
    RANLIB: 'ranlib',
    READELF: 'readelf',
    STRIP: 'strip',
    SIZE: 'size',
    STRINGS: 'strings'
};
/**
 * Returns CC and the binutils variables with absolute paths, for each tool
 * whose `<prefix><tool>` exists in the toolchain's `bin/`.
 */
function binutilsEnv(toolchain) {
    const env = {};
    for (const [variable, tool] of Object.entries(TOOLS)) {
        const file = path.join(toolchain.binDir, `${toolchain.prefix}${tool}`);
        if (existsSync(file))
            env[variable] = file;
    }
    return env;
}

// Step 2 of a run: provide the musl cross toolchain. The places tried, in
// order, are the installed toolchain-path, the runner tool cache, the GitHub
// cache, and a download from each source in turn. When every download
// fails, an older cached toolchain for the same triple is used with a
// warning.
function toToolchain(found, origin) {
    return {
        dir: found.dir,
        binDir: found.binDir,
        prefix: found.prefix,
        cc: found.cc,
        gccVersion: found.gccVersion,
        dumpMachine: found.dumpMachine,
        ...origin
    };
}
async function fromToolchainPath(toolchainPath, arch, ui) {
    const dir = path.resolve(toolchainPath);
    ui.info(`Using the installed toolchain in ${dir} (toolchain-path)`);
    const isFolder = await fs$1.stat(dir).then(stat => stat.isDirectory(), () => false);
    if (!isFolder) {
        throw new UserError(`toolchain-path "${toolchainPath}" is not a folder. Set it to the toolchain folder that contains bin/${arch.triple}-gcc, or leave it empty to download a toolchain.`);
    }
    // The same check as for a download: a compiler for the target must run.
    const found = await inspectToolchain(dir, arch, ui);
    return toToolchain(found, { source: 'toolchain-path', cacheHit: false });
}
/** Uses a cache entry if its compiler works; logs and returns undefined if not. */
async function useEntry(entry, context, origin) {
    try {
        const found = await inspectToolchain(entry.dir, context.arch, context.ui);
        return toToolchain(found, {
            ...origin,
            cacheHit: true,
            sha256: entry.origin?.sha256
        });
    }
    catch (error) {
        context.ui.warning(`The cached toolchain ${entry.dir} cannot be used: ${errorMessage(error)}`, { title: 'Toolchain cache' });
        return undefined;
    }
}
function cacheOrigin(context, version) {
    if (!context.cache)
        return {};
    return {
        cacheKey: cacheKey(context.arch, version),
        cachePath: toolFolder(context.toolCacheRoot, context.arch)
    };
}
async function fromToolCache(context) {
    for (const source of context.sources) {
        const version = sourceVersion(source);
        const entry = findEntry(context.arch, version);
        if (!entry)
            continue;
        context.ui.info(`Found ${entry.origin?.url ?? maskUrl(source.url)} in the runner tool cache: ${entry.dir}`);
        const toolchain = await useEntry(entry, context, {
            source: 'tool-cache',
            ...cacheOrigin(context, version)
        });
        if (toolchain)
            return toolchain;
    }
    context.ui.debug(`No toolchain for ${context.arch.triple} from these sources in the runner tool cache ${context.toolCacheRoot}`);
    return undefined;
}
async function fromGitHubCache(context) {
    if (!context.cache)
        return undefined;
    const versions = [...new Set(context.sources.map(sourceVersion))];
    const keys = versions.map(version => cacheKey(context.arch, version));
    const folder = toolFolder(context.toolCacheRoot, context.arch);
    const hit = await restoreFromCache(context.cache, [folder], keys[0], keys.slice(1), context.ui);
    if (!hit)
        return undefined;
    const version = versions[keys.indexOf(hit)];
    const entry = version === undefined ? undefined : findEntry(context.arch, version);
    if (!entry) {
        context.ui.warning(`The GitHub cache entry ${hit} did not contain a complete toolchain for ${context.arch.triple}; downloading instead.`, { title: 'Toolchain cache' });
        return undefined;
    }
    return useEntry(entry, context, {
        source: 'github-cache',
        cacheKey: hit,
        cachePath: folder
    });
}
/**
 * Uses any older toolchain for the triple, from the tool cache or through
 * the GitHub cache's key prefix, after every download failed. Only failures
 * to download qualify (see allowsOlderToolchain): a wrong checksum, an
 * unsafe archive or a wrong toolchain-url must be fixed instead.
 */
async function fromOlderEntry(context, failures) {
    if (!failures.every(allowsOlderToolchain))
        return undefined;
    let where = 'the runner tool cache';
    let source = 'tool-cache';
    let entries = findAllEntries(context.arch);
    if (entries.length === 0 && context.cache) {
        const folder = toolFolder(context.toolCacheRoot, context.arch);
        const newest = cacheKey(context.arch, sourceVersion(context.sources[0]));
        const hit = await restoreFromCache(context.cache, [folder], newest, [cacheKeyPrefix(context.arch)], context.ui);
        if (!hit)
            return undefined;
        where = `the GitHub cache entry ${hit}`;
        source = 'github-cache';
        entries = findAllEntries(context.arch);
    }
    // A download without an expected checksum stays usable for the sources
    // that produced it, but never stands in for the verified built-in sources.
    const trusted = context.sources.every(s => s.builtIn)
        ? entries.filter(entry => entry.origin?.verified === true)
        : entries;
    for (const entry of trusted) {
        const toolchain = await useEntry(entry, context, { source });
        if (!toolchain)
            continue;
        context.ui.warning(`Every toolchain source failed, so the older toolchain ${entry.origin?.url ?? entry.version} for ${context.arch.triple} from ${where} is used. The failures: ${failures.map(f => `${f.source.label}: ${errorMessage(f.error)}`).join('; ')}`, { title: 'Older toolchain used' });
        return toolchain;
    }
    return undefined;
}
async function fromDownloads(context) {
    const attempts = [];
    const failures = [];
    for (const source of context.sources) {
        context.ui.info(`Downloading the toolchain from ${source.label}: ${maskUrl(source.url)}`);
        try {
            return await installFromSource(source, context, attempts);
        }
        catch (error) {
            failures.push({ source, error });
            context.ui.info(`${source.label} failed: ${errorMessage(error)}`);
        }
    }
    const older = await fromOlderEntry(context, failures);
    if (older)
        return older;
    throw allSourcesFailedError(context.arch, failures, attempts);
}
function stepContext(request, ui, services) {
    const cache = request.cache
        ? (services.cache ?? new ActionsCacheService())
        : undefined;
    return {
        arch: request.arch,
        ui,
        sources: resolveSources(request.arch, request.urls, request.sha256, services.builtInSources),
        toolCacheRoot: useToolCacheRoot(services.toolCacheDir),
        tempDir: services.tempDir ?? process.env.RUNNER_TEMP ?? os$1.tmpdir(),
        timeouts: { ...DEFAULT_FETCH_TIMEOUTS, ...services.fetchTimeouts },
        cache
    };
}
/**
 * Provides a musl cross toolchain for `request.arch`, adds its `bin/` to
 * PATH through `ui.addPath`, and returns what was found. Inside a runner, a
 * downloaded toolchain is also recorded for the post step, which saves it
 * to the GitHub cache. Throws UserError when the toolchain-path is unusable,
 * a URL template is invalid, or no source, cache or older entry gives a
 * working compiler for the target.
 */
async function provideToolchain(request, ui, services = {}) {
    const started = Date.now();
    let toolchain;
    if (request.toolchainPath) {
        toolchain = await fromToolchainPath(request.toolchainPath, request.arch, ui);
    }
    else {
        const context = stepContext(request, ui, services);
        toolchain =
            (await fromToolCache(context)) ??
                (await fromGitHubCache(context)) ??
                (await fromDownloads(context));
    }
    ui.addPath(toolchain.binDir);
    rememberToolchainForPost(toolchain);
    ui.info(`Toolchain ready in ${formatDuration(Date.now() - started)}: ${toolchain.cc} from ${toolchain.source}${toolchain.cacheHit ? ' (cache hit)' : ''}`);
    return toolchain;
}

// One run of rump-cross for one architecture, in the order of the product
// contract: toolchain, host, buildrump.sh with watched tests, report. The
// action and the CLI both call runJob; they differ only in the Ui and in
// where the inputs come from.
/** Returns the folder for work files of this environment. */
function defaultTempDir(env) {
    return env.RUNNER_TEMP || os$1.tmpdir();
}
async function timed(ui, phases, name, title, fn) {
    const started = Date.now();
    return ui.group(title, async () => {
        try {
            const value = await fn();
            const durationMs = Date.now() - started;
            phases.push({ name, durationMs, ok: true });
            ui.info(`${title}: done in ${formatDuration(durationMs)}`);
            return value;
        }
        catch (error) {
            phases.push({ name, durationMs: Date.now() - started, ok: false });
            throw error;
        }
    });
}
/** Creates the log folder and opens the log; a write error only warns. */
async function openLog(file, ui) {
    try {
        await mkdir(path.dirname(file), { recursive: true });
    }
    catch (error) {
        throw new UserError(`Creating the log folder ${path.dirname(file)} failed: ${errorMessage(error)}. Set RUNNER_TEMP to a writable folder.`);
    }
    const log = createWriteStream(file, { flags: 'w' });
    log.once('error', error => {
        ui.warning(`Writing the log ${file} failed: ${errorMessage(error)}. The run goes on; its output is still shown here.`);
    });
    return log;
}
/**
 * Runs the whole job and returns its report. Throws only when the report
 * itself cannot be written.
 */
async function runJob(inputs, ui, context) {
    const { arch } = inputs;
    const base = archFolder(context.tempDir, arch.name);
    const logDir = path.join(base, 'logs');
    const logFile = path.join(logDir, `rump-cross-${arch.name}.log`);
    const record = {
        inputs,
        startedAt: new Date(),
        logFile,
        reportFile: path.join(logDir, `rump-cross-${arch.name}.json`),
        phases: [],
        tests: notRunResults(inputs.commands.includes('tests')
            ? 'the run stopped before the tests'
            : 'tests is not among the commands'),
        buildErrors: [],
        workspace: context.workspace
    };
    const unlock = await lockArchFolder(base);
    let log;
    try {
        log = await openLog(logFile, ui);
    }
    catch (error) {
        await unlock();
        throw error;
    }
    ui.info(`rump-cross for ${arch.name}: triple ${arch.triple}, qemu-${arch.qemu}, NetBSD machine ${arch.netbsdMachine}`);
    const stopSwitch = new StopSwitch(ui, inputs.timeoutMs);
    const step = (name, title, fn) => timed(ui, record.phases, name, title, () => stopSwitch.race(fn()));
    try {
        // 1. Inputs were read and validated by the caller.
        // 2. The musl cross toolchain.
        const toolchain = await step('toolchain', `Provide the ${arch.triple} toolchain`, () => provideToolchain({
            arch,
            urls: inputs.toolchainUrls,
            sha256: inputs.toolchainSha256,
            toolchainPath: inputs.toolchainPath,
            cache: inputs.cache
        }, ui, { tempDir: context.tempDir }));
        record.toolchain = toolchain;
        // 3. qemu, binfmt and a foreign smoke test.
        record.host = await step('host', `Prepare qemu-${arch.qemu} and binfmt`, () => prepareHost({
            arch,
            cc: toolchain.cc,
            backtraces: inputs.backtraces,
            workDir: path.join(base, 'smoke')
        }, ui));
        // 4 and 5. buildrump.sh with the recipe, tests under the watchdog.
        const source = await step('locate', 'Locate buildrump.sh', () => locateBuildrump({
            buildrumpPath: inputs.buildrumpPath,
            buildrumpRef: inputs.buildrumpRef,
            srcPath: inputs.srcPath,
            cloneFolder: path.join(base, 'buildrump.sh')
        }, ui));
        const dirs = workFolders(base, source.srcPath);
        if (dirs.obj.length > MAX_OBJ_PATH) {
            ui.warning(`The object folder ${dirs.obj} is ${dirs.obj.length} characters long; unix socket paths of the network tests may exceed 108 bytes. Use a shorter RUNNER_TEMP.`);
        }
        await prepareBuildFolders(dirs, {
            cc: toolchain.cc,
            gccVersion: toolchain.gccVersion,
            dumpMachine: toolchain.dumpMachine,
            sha256: toolchain.sha256
        }, ui);
        record.srcPath = dirs.src;
        const runId = randomUUID();
        const { env, removed } = buildrumpEnv(context.env, binutilsEnv(toolchain), toolchain.binDir, runId);
        const tools = binutilsEnv(toolchain);
        const toolLine = [...Object.keys(tools), 'HOST_CFLAGS']
            .map(name => `${name}=${env[name]}`)
            .join(' ');
        ui.info(`Environment of buildrump.sh: ${toolLine}`);
        log.write(`### rump-cross: environment ${toolLine}\n`);
        for (const name of removed) {
            ui.warning(`${name}="${context.env[name]}" was set in the environment, for example by an earlier step, and was removed because buildrump.sh stops when it is set. Pass such flags with args, such as "-F ${name}=...".`, { title: `${arch.name}: ${name} removed` });
        }
        const outcome = await runBuildrump({
            arch,
            script: source.script,
            dirs,
            jobs: inputs.jobs,
            userArgs: inputs.args,
            commands: source.needsCheckout
                ? ['checkout', ...inputs.commands]
                : inputs.commands,
            env,
            runId,
            testTimeoutMs: inputs.testTimeoutMs,
            backtraces: inputs.backtraces,
            log
        }, ui, control => stopSwitch.attach(control));
        record.phases.push(...outcome.phases);
        record.buildErrors = outcome.buildErrors;
        record.stopped = outcome.stopped;
        record.testsStarted = outcome.testsStarted;
        record.testsFailed = outcome.testsFailed;
        if (outcome.tests.length > 0)
            record.tests = outcome.tests;
        if (outcome.failure) {
            record.buildFailure =
                outcome.failure.command === 'checkout'
                    ? `buildrump.sh checkout could not fetch the NetBSD sources into ${dirs.src}: ${outcome.failure.message}. Without network access, pass --src-path (input src-path) to a folder that holds them.`
                    : `buildrump.sh ${outcome.failure.command} failed: ${outcome.failure.message}. The full log is ${logFile}.`;
            record.failedCommand = outcome.failure.command;
        }
    }
    catch (error) {
        if (!(error instanceof UserError)) {
            // An unexpected error still ends in a report, with its stack in the
            // debug log for a bug report.
            ui.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
        }
        record.setupFailure = errorMessage(error);
        log.write(`### rump-cross: ${record.setupFailure}\n`);
    }
    finally {
        stopSwitch.dispose();
        await new Promise(resolve => log.end(resolve));
    }
    try {
        return await finishReport(record, ui);
    }
    finally {
        await unlock();
    }
}

export { INPUTS as I, runJob as a, defaultTempDir as d, readInputs as r };
