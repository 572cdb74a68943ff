//! Compact bytes: a value as the few bytes it needs, written and read by our own code. A
//! shipped scene's file (`scene_file.rs`) is its scenario and its recorded run in this form.
//!
//! A whole number is a varint (seven bits a byte, the lowest first; a signed one zigzagged
//! first, so small negative numbers stay small), a number with a fraction its eight bytes, a
//! text or a list its length and then its bytes or items, an optional value a 0 or a 1 and
//! then the value, a choice among named cases (an enum) the case's number and then its fields.
//! Written here, not with serde: serde would write it, but its reader costs the page several
//! kilobytes more than these few functions, and a form without field names needs every field
//! written, which serde's JSON of a scenario does not do (it leaves absent fields out).

use std::net::{Ipv4Addr, SocketAddrV4};
use std::rc::Rc;

/// A value that goes to and from compact bytes.
pub trait Wire: Sized {
    fn put(&self, out: &mut Vec<u8>);
    /// The value at the start of `bytes`, which are moved past it; `None` if they do not
    /// hold one (cut short, or not this form).
    fn take(bytes: &mut &[u8]) -> Option<Self>;
}

pub fn take_byte(bytes: &mut &[u8]) -> Option<u8> {
    let (&b, rest) = bytes.split_first()?;
    *bytes = rest;
    Some(b)
}

impl Wire for u64 {
    fn put(&self, out: &mut Vec<u8>) {
        let mut n = *self;
        while n >= 0x80 {
            out.push(n as u8 | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = take_byte(bytes)?;
            n |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }
}

/// Smaller whole numbers go as a `u64`, and one too big for them reads as nothing.
macro_rules! wire_as_u64 {
    ($($t:ty),*) => {$(
        impl Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                u64::from(*self).put(out);
            }
            fn take(bytes: &mut &[u8]) -> Option<Self> {
                <$t>::try_from(u64::take(bytes)?).ok()
            }
        }
    )*};
}
wire_as_u64!(u16, u32);

impl Wire for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        match take_byte(bytes)? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

impl Wire for f64 {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend(self.to_le_bytes());
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        take_array(bytes).map(f64::from_le_bytes)
    }
}

/// The next `N` bytes as they are.
fn take_array<const N: usize>(bytes: &mut &[u8]) -> Option<[u8; N]> {
    let (head, rest) = bytes.split_first_chunk::<N>()?;
    *bytes = rest;
    Some(*head)
}

/// A length, which cannot be more than the bytes left (each item or byte takes one at least).
pub fn take_len(bytes: &mut &[u8]) -> Option<usize> {
    usize::try_from(u64::take(bytes)?)
        .ok()
        .filter(|&n| n <= bytes.len())
}

impl Wire for String {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        out.extend(self.as_bytes());
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        let len = take_len(bytes)?;
        let (text, rest) = bytes.split_at_checked(len)?;
        *bytes = rest;
        String::from_utf8(text.to_vec()).ok()
    }
}

impl Wire for [String; 2] {
    fn put(&self, out: &mut Vec<u8>) {
        self[0].put(out);
        self[1].put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some([String::take(bytes)?, String::take(bytes)?])
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.put(out);
            }
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        match take_byte(bytes)? {
            0 => Some(None),
            1 => T::take(bytes).map(Some),
            _ => None,
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        (self.len() as u64).put(out);
        for item in self {
            item.put(out);
        }
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        let len = take_len(bytes)?;
        (0..len).map(|_| T::take(bytes)).collect()
    }
}

impl Wire for usize {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        usize::try_from(u64::take(bytes)?).ok()
    }
}

impl Wire for u8 {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        take_byte(bytes)
    }
}

/// Zigzagged: 0, -1, 1, -2 ... go as 0, 1, 2, 3 ...
impl Wire for i64 {
    fn put(&self, out: &mut Vec<u8>) {
        (((*self << 1) ^ (*self >> 63)) as u64).put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        let n = u64::take(bytes)?;
        Some((n >> 1) as i64 ^ -((n & 1) as i64))
    }
}

impl Wire for Ipv4Addr {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend(self.octets());
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        take_array::<4>(bytes).map(Ipv4Addr::from)
    }
}

impl Wire for SocketAddrV4 {
    fn put(&self, out: &mut Vec<u8>) {
        self.ip().put(out);
        self.port().put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some(SocketAddrV4::new(Ipv4Addr::take(bytes)?, u16::take(bytes)?))
    }
}

/// Bytes as they are: their count, then themselves (not one item at a time).
pub fn put_bytes(bytes: &[u8], out: &mut Vec<u8>) {
    (bytes.len() as u64).put(out);
    out.extend(bytes);
}

pub fn take_bytes<'a>(bytes: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = take_len(bytes)?;
    let (head, rest) = bytes.split_at_checked(len)?;
    *bytes = rest;
    Some(head)
}

impl Wire for Rc<[u8]> {
    fn put(&self, out: &mut Vec<u8>) {
        put_bytes(self, out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        take_bytes(bytes).map(Rc::from)
    }
}

impl<A: Wire, B: Wire> Wire for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn take(bytes: &mut &[u8]) -> Option<Self> {
        Some((A::take(bytes)?, B::take(bytes)?))
    }
}

/// An enum whose cases have no fields (`Errno`, `SockState` ...), declared inside this macro so
/// that its compact form is its case's number without a second list of its cases: `put`
/// writes the case's number, `take` reads it back from the same list.
macro_rules! wire_cases {
    (
        $(#[$meta:meta])*
        $vis:vis enum $t:ident {
            $( $(#[$case_meta:meta])* $case:ident ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $t {
            $( $(#[$case_meta])* $case ),*
        }

        impl $crate::engine::wire::Wire for $t {
            fn put(&self, out: &mut Vec<u8>) {
                $crate::engine::wire::Wire::put(&(*self as u64), out);
            }
            fn take(bytes: &mut &[u8]) -> Option<Self> {
                let n = <u64 as $crate::engine::wire::Wire>::take(bytes)?;
                [$( $t::$case ),*].into_iter().find(|c| *c as u64 == n)
            }
        }
    };
}
pub(crate) use wire_cases;
