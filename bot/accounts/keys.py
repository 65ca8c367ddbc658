"""Key rotation: re-encrypt every encrypted value with the first data key."""

from __future__ import annotations

from sqlalchemy import Column, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.crypto import PREFIXES, Cipher, EncryptedJSON, EncryptedText
from storage.models import Base


def encrypted_columns() -> list[Column[object]]:
    """Every column stored encrypted, found from the models so a new one cannot be forgotten."""
    return [
        column
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText | EncryptedJSON)
    ]


async def rotate(sessions: async_sessionmaker[AsyncSession], cipher: Cipher, batch: int = 500) -> int:
    """Re-encrypt all values with `cipher`'s first key, in batches; return how many were rewritten."""
    done = 0
    for column in encrypted_columns():
        table, name = column.table.name, column.name
        key = next(iter(column.table.primary_key.columns)).name
        last: object = None
        while True:
            # Plain SQL on purpose: the tokens are moved as text, never decrypted into a Python value.
            where = f"{name} IS NOT NULL" + (f" AND {key} > :last" if last is not None else "")
            # Names from our own models, never from input; values are bound.
            query = text(f"SELECT {key}, {name} FROM {table} WHERE {where} ORDER BY {key} LIMIT {int(batch)}")  # noqa: S608
            async with sessions() as session:
                rows = (await session.execute(query, {"last": last})).all()
                if not rows:
                    break
                for pk, token in rows:
                    if isinstance(token, str) and token.startswith(PREFIXES):
                        await session.execute(
                            text(f"UPDATE {table} SET {name} = :token WHERE {key} = :pk"),  # noqa: S608
                            {"token": cipher.rotate(token), "pk": pk},
                        )
                        done += 1
                await session.commit()
            last = rows[-1][0]
    return done
