<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/new.xsl - "New community" at /communities/new
  (modules/communities/communities.c); its form template is also the
  settings form (settings.xsl imports this file).

  Input, inside the core's <page> envelope:

    <community-form mode="new|settings" slug="" name="" visibility=""
        join-policy="" private="yes" hold-first-posts="" managers=""
        saved="yes">
      <description>..</description>
      <error field="private">message</error>    (a refused form)
    </community-form>

  One POST form with the CSRF field: name, address (new only), description,
  who can see it, how people join, private, first posts held for review,
  and (new only) the managers' logins.  A refused form comes back with an
  error summary linked to the field and the values as sent.

  To add a setting, add its field in communities.c (create_fields,
  settings_fields, STMT_INSERT, STMT_UPDATE, form_xml) and a field below.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="cf" select="/page/community-form"/>

  <xsl:template match="page" mode="title">New community</xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <div class="page-head">
        <h1>New community</h1>
        <p class="muted">You become one of its managers. Managers invite members, decide requests to join and moderate.</p>
      </div>
      <xsl:call-template name="community-form">
        <xsl:with-param name="action" select="'/communities/new'"/>
        <xsl:with-param name="submit" select="'Create community'"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <xsl:template name="community-form">
    <xsl:param name="action"/>
    <xsl:param name="submit"/>
    <xsl:if test="$cf/error">
      <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="cf-error-title">
        <h2 id="cf-error-title">The community was not saved</h2>
        <p><a href="#f-{$cf/error/@field}"><xsl:value-of select="$cf/error"/></a></p>
      </div>
    </xsl:if>
    <xsl:if test="$cf/@saved = 'yes'">
      <p class="comm-notice" role="status">The settings are saved.</p>
    </xsl:if>
    <form class="panel comm-form" method="post" action="{$action}">
      <xsl:call-template name="csrf-field"/>
      <div class="field">
        <label for="f-name">Name</label>
        <input class="input" type="text" id="f-name" name="name" value="{$cf/@name}" maxlength="128" required="required">
          <xsl:call-template name="invalid"><xsl:with-param name="f" select="'name'"/></xsl:call-template>
        </input>
      </div>
      <xsl:if test="$cf/@mode = 'new'">
        <div class="field">
          <label for="f-slug">Address</label>
          <span class="field-hint" id="f-slug-hint">The community lives at /c/<em>address</em>: lowercase letters, digits and hyphens. It cannot be changed later.</span>
          <input class="input" type="text" id="f-slug" name="slug" value="{$cf/@slug}" maxlength="64"
              pattern="[a-z0-9-]+" required="required" aria-describedby="f-slug-hint">
            <xsl:call-template name="invalid"><xsl:with-param name="f" select="'slug'"/></xsl:call-template>
          </input>
        </div>
      </xsl:if>
      <div class="field">
        <label for="f-description">Description</label>
        <textarea class="input" id="f-description" name="description" rows="5" maxlength="10000">
          <xsl:value-of select="$cf/description"/>
        </textarea>
      </div>
      <fieldset class="field comm-choices">
        <legend id="f-visibility">Who can see that it exists</legend>
        <xsl:call-template name="radio">
          <xsl:with-param name="name" select="'visibility'"/>
          <xsl:with-param name="value" select="'listed'"/>
          <xsl:with-param name="current" select="$cf/@visibility"/>
          <xsl:with-param name="label" select="'Listed: every signed-in user sees it in the list'"/>
        </xsl:call-template>
        <xsl:call-template name="radio">
          <xsl:with-param name="name" select="'visibility'"/>
          <xsl:with-param name="value" select="'unlisted'"/>
          <xsl:with-param name="current" select="$cf/@visibility"/>
          <xsl:with-param name="label" select="'Unlisted: only its members and the people invited'"/>
        </xsl:call-template>
        <xsl:call-template name="radio">
          <xsl:with-param name="name" select="'visibility'"/>
          <xsl:with-param name="value" select="'secret'"/>
          <xsl:with-param name="current" select="$cf/@visibility"/>
          <xsl:with-param name="label" select="'Secret: as unlisted, and its name is never shown to anyone else'"/>
        </xsl:call-template>
      </fieldset>
      <fieldset class="field comm-choices">
        <legend id="f-join_policy">How people join</legend>
        <xsl:call-template name="radio">
          <xsl:with-param name="name" select="'join_policy'"/>
          <xsl:with-param name="value" select="'open'"/>
          <xsl:with-param name="current" select="$cf/@join-policy"/>
          <xsl:with-param name="label" select="'Open: anyone may read it and join'"/>
        </xsl:call-template>
        <xsl:call-template name="radio">
          <xsl:with-param name="name" select="'join_policy'"/>
          <xsl:with-param name="value" select="'request'"/>
          <xsl:with-param name="current" select="$cf/@join-policy"/>
          <xsl:with-param name="label" select="'By request: a manager approves each request'"/>
        </xsl:call-template>
        <xsl:call-template name="radio">
          <xsl:with-param name="name" select="'join_policy'"/>
          <xsl:with-param name="value" select="'invitation'"/>
          <xsl:with-param name="current" select="$cf/@join-policy"/>
          <xsl:with-param name="label" select="'By invitation only'"/>
        </xsl:call-template>
      </fieldset>
      <div class="field comm-check">
        <input type="checkbox" id="f-private" name="private" value="1">
          <xsl:if test="$cf/@private = 'yes'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
          <xsl:call-template name="invalid"><xsl:with-param name="f" select="'private'"/></xsl:call-template>
        </input>
        <label for="f-private">Private: for discussions with one partner, kept apart from its competitors (invitation only, not listed)</label>
      </div>
      <div class="field">
        <label for="f-hold">New members' first posts held for review</label>
        <span class="field-hint" id="f-hold-hint">0: none are held.</span>
        <input class="input comm-narrow" type="number" id="f-hold" name="hold_first_posts" min="0" max="1000"
            value="{$cf/@hold-first-posts}" aria-describedby="f-hold-hint"/>
      </div>
      <xsl:if test="$cf/@mode = 'new'">
        <div class="field">
          <label for="f-managers">Other managers</label>
          <span class="field-hint" id="f-managers-hint">Their logins, separated by commas. They must have signed in to the portal once.</span>
          <input class="input" type="text" id="f-managers" name="managers" value="{$cf/@managers}" aria-describedby="f-managers-hint">
            <xsl:call-template name="invalid"><xsl:with-param name="f" select="'managers'"/></xsl:call-template>
          </input>
        </div>
      </xsl:if>
      <div class="field field-actions">
        <button class="button button-primary" type="submit"><xsl:value-of select="$submit"/></button>
      </div>
    </form>
  </xsl:template>

  <xsl:template name="invalid">
    <xsl:param name="f"/>
    <xsl:if test="$cf/error/@field = $f">
      <xsl:attribute name="aria-invalid">true</xsl:attribute>
    </xsl:if>
  </xsl:template>

  <xsl:template name="radio">
    <xsl:param name="name"/>
    <xsl:param name="value"/>
    <xsl:param name="current"/>
    <xsl:param name="label"/>
    <div class="comm-radio">
      <input type="radio" id="f-{$name}-{$value}" name="{$name}" value="{$value}">
        <xsl:if test="string($current) = $value"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
      </input>
      <label for="f-{$name}-{$value}"><xsl:value-of select="$label"/></label>
    </div>
  </xsl:template>

</xsl:stylesheet>
